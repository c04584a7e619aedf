package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.vmm.attest.ImageLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A finished build: every artifact in place (kernel, initramfs, rootfs, capability store, in that order), the
 * lock that records them, the kernel it was made from and how long it took.
 */
public record ImageBuildResult(ImageLayout layout, List<ImageArtifact> artifacts, ImageLock lock, Path kernelSource,
        Duration elapsed) {
    public ImageBuildResult {
        Objects.requireNonNull(layout);
        artifacts = List.copyOf(artifacts);
        Objects.requireNonNull(lock);
        Objects.requireNonNull(kernelSource);
        Objects.requireNonNull(elapsed);
    }
}
