package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Map;
import java.util.Optional;

/**
 * {@code :orchestrator.isolation.fs {:ephemeral true :mounts {<name> {:mode :ro}}}}. {@code mounts} keeps the
 * order written; its keys are the mount names without the colon ("capabilities").
 */
public record FsIsolation(
        Optional<Located<Boolean>> ephemeral, Optional<Located<Map<String, Mount>>> mounts, Span keySpan, Span span)
        implements Section {

    /** The name of the mount holding the capability store. */
    public static final String CAPABILITIES_MOUNT = "capabilities";

    public FsIsolation {
        mounts = mounts.map(m -> new Located<>(java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(m.value())), m.span(), m.keySpan()));
    }

    /** The mount called {@code name}, if written. */
    public Optional<Mount> mount(String name) {
        return mounts.map(m -> m.value().get(name));
    }
}
