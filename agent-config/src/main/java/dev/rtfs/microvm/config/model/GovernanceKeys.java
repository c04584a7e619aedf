package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** {@code :governance.keys {:verify "..."}}. */
public record GovernanceKeys(Optional<Located<String>> verify, Span keySpan, Span span) implements Section {}
