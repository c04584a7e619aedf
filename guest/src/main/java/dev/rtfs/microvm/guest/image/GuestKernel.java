package dev.rtfs.microvm.guest.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest kernel and the release its modules are filed under: one lookup for the image build and for every
 * test that boots a guest. The release comes from the bzImage itself ({@link BzImage}), so a copy named anything
 * finds {@code /lib/modules/<release>}; the file name only orders the candidates in a boot directory.
 *
 * @param image   the bzImage
 * @param release the kernel release embedded in it, e.g. {@code 6.1.0-57-cloud-amd64}
 * @param choice  why this kernel, for progress lines: {@code "newest of 2 in /boot"} or {@code "--kernel"}
 */
public record GuestKernel(Path image, String release, String choice) {

    private static final Logger LOG = LoggerFactory.getLogger(GuestKernel.class);

    /** Debian's cloud kernels, the guest kernels this toolkit packs by default. */
    public static final Pattern CLOUD_KERNEL = Pattern.compile("vmlinuz-(.+-cloud-amd64)");

    private static final String PREFIX = "vmlinuz-";

    public GuestKernel {
        Objects.requireNonNull(image);
        Objects.requireNonNull(release);
        Objects.requireNonNull(choice);
    }

    /**
     * The newest {@code vmlinuz-*-cloud-amd64} in {@code bootDir} by Debian version order; empty when there is none
     * (or no such directory). Fails when the newest is unreadable or not a bzImage.
     */
    public static Optional<GuestKernel> newestIn(Path bootDir) throws KernelInputException {
        if (!Files.isDirectory(bootDir)) return Optional.empty();
        List<Path> found;
        try (Stream<Path> boot = Files.list(bootDir)) {
            found = boot.filter(p -> CLOUD_KERNEL.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path p) -> versionOf(p), DebianVersions.ORDER)
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new KernelInputException("cannot list " + bootDir + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) return Optional.empty();
        Path newest = found.getLast();
        if (!Files.isReadable(newest)) {
            throw new KernelInputException("kernel " + newest + " is not readable (Debian installs it 0600: run as "
                    + "root or pass --kernel with a readable copy)");
        }
        String release = BzImage.release(newest);
        warnIfNameDisagrees(newest, release);
        return Optional.of(new GuestKernel(newest, release, "newest of " + found.size() + " in " + bootDir));
    }

    /** The kernel the user named ({@code --kernel}): any file name, the release comes from the image. */
    public static GuestKernel given(Path image) throws KernelInputException {
        if (!Files.exists(image)) throw new KernelInputException("kernel " + image + ": no such file");
        if (!Files.isRegularFile(image)) throw new KernelInputException("kernel " + image + ": not a regular file");
        if (!Files.isReadable(image)) {
            throw new KernelInputException("kernel " + image + ": not readable (Debian installs it 0600: run as root "
                    + "or pass a readable copy)");
        }
        String release = BzImage.release(image);
        warnIfNameDisagrees(image, release);
        return new GuestKernel(image, release, "--kernel");
    }

    /** Where this kernel's modules live: {@code <libModules>/<release>}. */
    public Path modulesDir(Path libModules) {
        return libModules.resolve(release);
    }

    /** The version part of {@code vmlinuz-<version>}, the whole name otherwise. */
    static String versionOf(Path image) {
        String name = image.getFileName().toString();
        return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
    }

    /** The image wins: a renamed or mislabelled copy still gets the modules it was built with. */
    private static void warnIfNameDisagrees(Path image, String release) {
        String name = image.getFileName().toString();
        if (name.startsWith(PREFIX) && !versionOf(image).equals(release)) {
            LOG.warn("kernel {} is named for {} but is {}: using the modules of {}", image, versionOf(image), release,
                    release);
        }
    }
}
