package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.guest.image.LockedCapability;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code image build} reads and where it writes.
 *
 * @param out          the output directory (gets {@code kernels/} and {@code images/}, see {@link ImageLayout})
 * @param kernel       the guest kernel (any file name: its release is read from the image); empty: the newest
 *                     {@code /boot/vmlinuz-*-cloud-amd64} by Debian version order
 * @param capabilities the capability store's tree; empty: the built-in default descriptors
 * @param release      the version line written to the rootfs's /etc/rtfs-release
 * @param busybox      the static busybox packed into the initramfs
 * @param bootDir      where the default kernel is looked for
 * @param libModules   where the kernel's modules live ({@code <libModules>/<kernel release>/})
 * @param userland     the Debian userland the rootfs is assembled from and the guest boots into; empty: the
 *                     busybox-only guest (the rootfs is data only)
 * @param packages     the user capability packages in {@code capabilities}, validated by the caller (the CLI reads
 *                     them with the orchestrator's manifest reader); recorded in image.lock and in the store's index
 *                     the agent dispatches by; empty: the store holds no packages
 */
public record ImageBuildOptions(Path out, Optional<Path> kernel, Optional<Path> capabilities, String release,
        Path busybox, Path bootDir, Path libModules, Optional<UserlandOptions> userland,
        List<LockedCapability> packages) {

    public static final String DEFAULT_RELEASE = "rtfs-microvm guest image 1";

    public ImageBuildOptions {
        Objects.requireNonNull(out);
        Objects.requireNonNull(kernel);
        Objects.requireNonNull(capabilities);
        Objects.requireNonNull(release);
        Objects.requireNonNull(busybox);
        Objects.requireNonNull(bootDir);
        Objects.requireNonNull(libModules);
        Objects.requireNonNull(userland);
        packages = List.copyOf(packages);
        if (!packages.isEmpty() && capabilities.isEmpty()) {
            throw new IllegalArgumentException("capability packages without their directory");
        }
        if (release.isBlank() || release.contains("\n")) throw new IllegalArgumentException("release must be one line");
    }

    /** No capability packages. */
    public ImageBuildOptions(Path out, Optional<Path> kernel, Optional<Path> capabilities, String release,
            Path busybox, Path bootDir, Path libModules, Optional<UserlandOptions> userland) {
        this(out, kernel, capabilities, release, busybox, bootDir, libModules, userland, List.of());
    }

    /** A busybox-only guest. */
    public ImageBuildOptions(Path out, Optional<Path> kernel, Optional<Path> capabilities, String release,
            Path busybox, Path bootDir, Path libModules) {
        this(out, kernel, capabilities, release, busybox, bootDir, libModules, Optional.empty());
    }

    /**
     * The default image on a Debian host: the cloud kernel from /boot, its modules, /bin/busybox, the default
     * capability store, and the default Debian userland from the default deb directories (the agent needs its
     * curl for HTTPS).
     */
    public static ImageBuildOptions defaults(Path out) {
        return busyboxOnly(out).withUserland(UserlandOptions.defaults(System.getenv()));
    }

    /** As {@link #defaults} without the userland: today's busybox-only guest ({@code image build --busybox-only}). */
    public static ImageBuildOptions busyboxOnly(Path out) {
        return new ImageBuildOptions(out, Optional.empty(), Optional.empty(), DEFAULT_RELEASE,
                GuestInitramfs.DEBIAN_BUSYBOX, Path.of("/boot"), Path.of("/lib/modules"));
    }

    public ImageBuildOptions withKernel(Path k) {
        return new ImageBuildOptions(out, Optional.of(k), capabilities, release, busybox, bootDir, libModules, userland, packages);
    }

    public ImageBuildOptions withCapabilities(Path dir) {
        return new ImageBuildOptions(out, kernel, Optional.of(dir), release, busybox, bootDir, libModules, userland, List.of());
    }

    /** The store is {@code dir}, holding the (validated) user capability {@code packages}. */
    public ImageBuildOptions withCapabilityPackages(Path dir, List<LockedCapability> packages) {
        return new ImageBuildOptions(out, kernel, Optional.of(dir), release, busybox, bootDir, libModules, userland,
                packages);
    }

    public ImageBuildOptions withRelease(String r) {
        return new ImageBuildOptions(out, kernel, capabilities, r, busybox, bootDir, libModules, userland, packages);
    }

    public ImageBuildOptions withBusybox(Path b) {
        return new ImageBuildOptions(out, kernel, capabilities, release, b, bootDir, libModules, userland, packages);
    }

    public ImageBuildOptions withUserland(UserlandOptions u) {
        return new ImageBuildOptions(out, kernel, capabilities, release, busybox, bootDir, libModules, Optional.of(u), packages);
    }

    public ImageBuildOptions withoutUserland() {
        return new ImageBuildOptions(out, kernel, capabilities, release, busybox, bootDir, libModules, Optional.empty());
    }
}
