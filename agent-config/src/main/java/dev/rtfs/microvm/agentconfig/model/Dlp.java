package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :orchestrator.dlp {:enabled true :policy :strict}}. */
public record Dlp(Optional<Located<Boolean>> enabled, Optional<Located<DlpPolicy>> policy, Span keySpan, Span span)
        implements Section {}
