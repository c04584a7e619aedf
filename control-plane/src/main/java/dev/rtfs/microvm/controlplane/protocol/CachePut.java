package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** Offer an artifact to the admission cache; the host stores it only when sha256(UTF-8 of artifact) equals hash. */
public record CachePut(String hash, String artifact) implements GuestMessage {
    public static final String TYPE = "cache_put";

    public CachePut {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(artifact, "artifact");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
