package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :microvm.resources {:vcpus 1 :mem_mb 256}}; both required, never defaulted. */
public record Resources(Optional<Located<Long>> vcpus, Optional<Located<Long>> memMb, Span keySpan, Span span)
        implements Section {

    /** The config key of {@link #memMb}, the one place it is spelled (schema, model builder and policy use it). */
    public static final String MEM_MB_KEY = "mem_mb";
    /** Its canonical path, as diagnostics print it. */
    public static final String MEM_MB_PATH = "microvm.resources." + MEM_MB_KEY;
}
