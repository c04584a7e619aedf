package dev.rtfs.microvm.guest.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** One Debian package of the guest's userland as image.lock records it: the {@code .deb}'s sha256 pins its bytes. */
public record LockedPackage(@JsonProperty("name") String name, @JsonProperty("version") String version,
        @JsonProperty("architecture") String architecture, @JsonProperty("sha256") String sha256) {
    public LockedPackage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        Objects.requireNonNull(architecture);
        Objects.requireNonNull(sha256);
    }
}
