package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** Answer to {@link CacheGet} when nothing is cached under the hash. */
public record CacheMiss(String hash) implements HostMessage {
    public static final String TYPE = "cache_miss";

    public CacheMiss {
        Objects.requireNonNull(hash, "hash");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
