package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** A section that only has {@code {:enabled bool}} (capabilities fs/llm/gpu, causal chain anchor). */
public record Toggle(Optional<Located<Boolean>> enabled, Span keySpan, Span span) implements Section { }
