package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** Ask the host's admission cache for an admitted plan artifact by content hash (lowercase hex sha256). */
public record CacheGet(String hash) implements GuestMessage {
    public static final String TYPE = "cache_get";

    public CacheGet {
        Objects.requireNonNull(hash, "hash");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
