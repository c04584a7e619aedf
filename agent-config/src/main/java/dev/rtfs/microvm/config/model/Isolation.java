package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** {@code :orchestrator.isolation {:mode :microvm :fs {...}}}. */
public record Isolation(Optional<Located<IsolationMode>> mode, Optional<FsIsolation> fs, Span keySpan, Span span)
        implements Section {}
