package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** Answer to {@link CachePut}: the artifact matched its hash and is stored. */
public record CacheStored(String hash) implements HostMessage {
    public static final String TYPE = "cache_stored";

    public CacheStored {
        Objects.requireNonNull(hash, "hash");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
