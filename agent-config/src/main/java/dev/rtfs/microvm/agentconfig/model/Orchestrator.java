package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :orchestrator {:isolation {...} :dlp {...}}}. */
public record Orchestrator(Optional<Isolation> isolation, Optional<Dlp> dlp, Span keySpan, Span span)
        implements Section {}
