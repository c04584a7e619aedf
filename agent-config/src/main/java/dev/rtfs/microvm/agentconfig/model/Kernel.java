package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm.kernel {:image "..." :cmdline "..."}}; {@code :image} is required. */
public record Kernel(Optional<Located<String>> image, Optional<Located<String>> cmdline, Span keySpan, Span span)
        implements Section {}
