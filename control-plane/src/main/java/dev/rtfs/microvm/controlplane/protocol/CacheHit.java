package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** Answer to {@link CacheGet} when the artifact is cached. */
public record CacheHit(String hash, String artifact) implements HostMessage {
    public static final String TYPE = "cache_hit";

    public CacheHit {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(artifact, "artifact");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
