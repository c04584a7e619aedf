package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :capabilities {:http {...} :fs {:enabled b} :llm {:enabled b} :gpu {:enabled b}}}. */
public record Capabilities(
        Optional<HttpCapability> http,
        Optional<Toggle> fs,
        Optional<Toggle> llm,
        Optional<Toggle> gpu,
        Span keySpan,
        Span span) implements Section {}
