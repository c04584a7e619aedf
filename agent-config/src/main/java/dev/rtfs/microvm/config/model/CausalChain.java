package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** {@code :causal_chain {:storage {...} :anchor {:enabled bool}}}. */
public record CausalChain(Optional<ChainStorage> storage, Optional<Toggle> anchor, Span keySpan, Span span)
        implements Section {}
