package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.guest.image.GuestModule;
import dev.rtfs.microvm.guest.image.ImageLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished build: every artifact in place (kernel, initramfs, rootfs, capability store, in that order), the
 * lock that records them, the kernel it was made from and its release, the kernel modules of the guest in load
 * order (built-in ones marked), how long it took and, when an {@link ImageVerifier} booted it, the boot-to-hello
 * time.
 */
public record ImageBuildResult(ImageLayout layout, List<ImageArtifact> artifacts, ImageLock lock, Path kernelSource,
        String kernelRelease, List<GuestModule> modules, Duration elapsed, Optional<Duration> bootToHello) {
    public ImageBuildResult {
        Objects.requireNonNull(layout);
        artifacts = List.copyOf(artifacts);
        Objects.requireNonNull(lock);
        Objects.requireNonNull(kernelSource);
        Objects.requireNonNull(kernelRelease);
        modules = List.copyOf(modules);
        Objects.requireNonNull(elapsed);
        Objects.requireNonNull(bootToHello);
    }
}
