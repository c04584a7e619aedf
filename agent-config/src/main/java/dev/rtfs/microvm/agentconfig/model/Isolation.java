package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :orchestrator.isolation {:mode :microvm :fs {...}}}. */
public record Isolation(Optional<Located<IsolationMode>> mode, Optional<FsIsolation> fs, Span keySpan, Span span)
        implements Section {}
