package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :causal_chain.storage {:mode :file :path "..." :buffer_local true}}. */
public record ChainStorage(
        Optional<Located<StorageMode>> mode,
        Optional<Located<String>> path,
        Optional<Located<Boolean>> bufferLocal,
        Span keySpan,
        Span span) implements Section {}
