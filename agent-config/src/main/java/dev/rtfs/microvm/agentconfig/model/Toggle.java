package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** A section that only has {@code {:enabled bool}} (capabilities fs/llm/gpu, causal chain anchor). */
public record Toggle(Optional<Located<Boolean>> enabled, Span keySpan, Span span) implements Section { }
