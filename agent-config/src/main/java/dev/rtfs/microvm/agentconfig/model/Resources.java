package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm.resources {:vcpus 1 :mem_mb 256}}; both required, never defaulted. */
public record Resources(Optional<Located<Long>> vcpus, Optional<Located<Long>> memMb, Span keySpan, Span span)
        implements Section {}
