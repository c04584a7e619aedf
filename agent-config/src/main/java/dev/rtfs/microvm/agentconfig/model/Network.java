package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :network {:enabled true :egress {...}}}. */
public record Network(Optional<Located<Boolean>> enabled, Optional<Egress> egress, Span keySpan, Span span)
        implements Section {}
