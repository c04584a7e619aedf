package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm.rootfs {:image "..." :ro true}}; both required. */
public record Rootfs(Optional<Located<String>> image, Optional<Located<Boolean>> ro, Span keySpan, Span span)
        implements Section {}
