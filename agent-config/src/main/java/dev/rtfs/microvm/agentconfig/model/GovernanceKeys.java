package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :governance.keys {:verify "..."}}. */
public record GovernanceKeys(Optional<Located<String>> verify, Span keySpan, Span span) implements Section {}
