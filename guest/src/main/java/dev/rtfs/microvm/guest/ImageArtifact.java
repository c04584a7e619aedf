package dev.rtfs.microvm.guest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file {@code image build} wrote.
 *
 * @param name   its key in image.lock (the file name)
 * @param path   where it is now
 * @param sha256 {@code sha256:<64 lowercase hex>}
 */
public record ImageArtifact(String name, Path path, long size, String sha256) {
    public ImageArtifact {
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
        Objects.requireNonNull(sha256);
    }
}
