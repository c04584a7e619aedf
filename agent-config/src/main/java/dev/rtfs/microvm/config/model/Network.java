package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Optional;

/** {@code :network {:enabled true :egress {...}}}. */
public record Network(Optional<Located<Boolean>> enabled, Optional<Egress> egress, Span keySpan, Span span)
        implements Section {}
