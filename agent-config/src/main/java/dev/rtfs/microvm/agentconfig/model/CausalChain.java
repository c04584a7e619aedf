package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :causal_chain {:storage {...} :anchor {:enabled bool}}}. */
public record CausalChain(Optional<ChainStorage> storage, Optional<Toggle> anchor, Span keySpan, Span span)
        implements Section {}
