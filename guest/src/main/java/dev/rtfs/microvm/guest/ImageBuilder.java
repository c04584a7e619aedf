package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.vmm.attest.ImageLock;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import dev.rtfs.microvm.vmm.image.GuestInitramfs;
import dev.rtfs.microvm.vmm.image.KernelModules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code image build} (DESIGN §10): the guest kernel, an initramfs with busybox-static, the kernel's virtio modules
 * and the reference agent, a read-only ext4 rootfs, a read-only ext4 capability store and {@code image.lock}.
 *
 * <p>Reproducible: two builds from the same inputs give the same bytes (see {@link Ext4Image}; the initramfs is
 * deterministic by construction). Atomic enough: everything is built in a staging directory inside the output
 * directory, and only a complete build is moved into place, image.lock last; a failed build leaves the previous
 * artifacts as they were.
 *
 * <p>image.lock records every artifact by file name, as {@link ImageLock#hashOf} looks them up: the three images
 * and also the kernel ({@code vmlinuz-min}), although it lives in {@code ../kernels}: its name is unique in the
 * layout, and a lock that leaves the kernel out would not describe the guest that boots.
 */
public final class ImageBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);

    /** Fixed identities of the two ext4 images (UUID and directory hash seed): part of what makes them reproducible. */
    static final UUID ROOTFS_UUID = UUID.fromString("5f1d8a2e-7c3b-4e9a-9b60-2a4c6e8f0d11");
    static final UUID CAPABILITIES_UUID = UUID.fromString("5f1d8a2e-7c3b-4e9a-9b60-2a4c6e8f0d12");

    private static final String KERNEL_PACKAGE = "linux-image-cloud-amd64";
    private static final String BUSYBOX_PACKAGE = "busybox-static";

    private final ImageTools tools;

    public ImageBuilder(ImageTools tools) {
        this.tools = Objects.requireNonNull(tools);
    }

    /** The builder on the real host. */
    public static ImageBuilder system() {
        return new ImageBuilder(ImageTools.system());
    }

    /**
     * Builds everything into {@code options.out()}. {@code progress} gets one short line per stage (the CLI shows
     * them on a terminal only).
     */
    public ImageBuildResult build(ImageBuildOptions options, Consumer<String> progress) throws ImageBuildException {
        long start = System.nanoTime();
        Path kernel = kernel(options);
        Path modulesDir = modulesDir(kernel, options.libModules());
        checkBusybox(options.busybox());
        for (String tool : Ext4Image.requiredTools()) {
            if (tools.locate(tool).isEmpty()) throw ImageBuildException.missing(tool + " is not installed", "e2fsprogs");
        }
        if (options.capabilities().isPresent() && !Files.isDirectory(options.capabilities().get())) {
            throw new ImageBuildException("capability store " + options.capabilities().get() + ": not a directory");
        }

        ImageLayout layout = new ImageLayout(options.out());
        Path staging = staging(options.out());
        try {
            ImageLayout staged = new ImageLayout(staging.resolve("out"));
            Files.createDirectories(staged.kernel().getParent());
            Files.createDirectories(staged.images());

            progress.accept("kernel " + kernel);
            Files.copy(kernel, staged.kernel());

            progress.accept("initramfs: busybox, " + KernelModules.MICROVM_VIRTIO.size() + " virtio modules from "
                    + modulesDir + ", reference agent");
            GuestInitramfs initramfs = new GuestInitramfs(options.busybox(), new KernelModules(modulesDir),
                    KernelModules.MICROVM_VIRTIO);
            try (OutputStream out = Files.newOutputStream(staged.initramfs())) {
                initramfs.write(ReferenceAgent.init(initramfs), Map.of(ReferenceAgent.PATH_IN_IMAGE, ReferenceAgent.script()),
                        out);
            }

            Ext4Image ext4 = new Ext4Image(tools, staging);
            Path rootTree = staging.resolve("tree-rootfs");
            ImageTree.rootfs(rootTree, options.release());
            ImageTree.normalize(rootTree);
            progress.accept("rootfs (ext4, read-only)");
            ext4.build(rootTree, staged.rootfs(), new Ext4Image.Spec("rtfs-root", ROOTFS_UUID, ImageTree.imageSize(rootTree)));

            Path capsTree = staging.resolve("tree-capabilities");
            if (options.capabilities().isPresent()) {
                ImageTree.copy(options.capabilities().get(), capsTree);
            } else {
                ImageTree.defaultCapabilities(capsTree);
            }
            ImageTree.normalize(capsTree);
            progress.accept("capability store (ext4, read-only)");
            ext4.build(capsTree, staged.capabilities(),
                    new Ext4Image.Spec("rtfs-caps", CAPABILITIES_UUID, ImageTree.imageSize(capsTree)));

            List<Path> stagedFiles = List.of(staged.kernel(), staged.initramfs(), staged.rootfs(), staged.capabilities());
            Map<String, String> hashes = new LinkedHashMap<>();
            Sha256ImageMeasurer sha = new Sha256ImageMeasurer();
            for (Path f : stagedFiles) hashes.put(f.getFileName().toString(), sha.measure(f));
            ImageLock lock = new ImageLock(ImageLock.VERSION, hashes);
            lock.write(staged.images());

            progress.accept("moving into " + options.out());
            List<Path> finals = List.of(layout.kernel(), layout.initramfs(), layout.rootfs(), layout.capabilities());
            Files.createDirectories(layout.kernel().getParent());
            Files.createDirectories(layout.images());
            List<ImageArtifact> artifacts = new ArrayList<>();
            for (int i = 0; i < stagedFiles.size(); i++) {
                Path from = stagedFiles.get(i);
                Path to = finals.get(i);
                String name = from.getFileName().toString();
                long size = Files.size(from);
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                artifacts.add(new ImageArtifact(name, to, size, hashes.get(name)));
            }
            Files.move(staged.lock(), layout.lock(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.debug("image build into {} took {} ms", options.out(), took.toMillis());
            return new ImageBuildResult(layout, artifacts, lock, kernel, took);
        } catch (IOException e) {
            throw new ImageBuildException("cannot build the image in " + options.out() + ": " + describe(e), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** {@code --kernel}, or the newest {@code vmlinuz-*-cloud-amd64} in the boot directory. */
    Path kernel(ImageBuildOptions options) throws ImageBuildException {
        if (options.kernel().isPresent()) {
            Path k = options.kernel().get();
            if (!Files.isRegularFile(k)) throw new ImageBuildException("kernel " + k + ": no such file");
            if (!Files.isReadable(k)) throw new ImageBuildException("kernel " + k + ": not readable");
            return k;
        }
        List<Path> found = List.of();
        if (Files.isDirectory(options.bootDir())) {
            try (Stream<Path> boot = Files.list(options.bootDir())) {
                found = boot.filter(p -> p.getFileName().toString().matches("vmlinuz-.*-cloud-amd64"))
                        .sorted(Comparator.comparing(p -> p.getFileName().toString(), ImageBuilder::compareVersions)).toList();
            } catch (IOException e) {
                throw new ImageBuildException("cannot list " + options.bootDir() + ": " + describe(e), e);
            }
        }
        if (found.isEmpty()) {
            throw ImageBuildException.missing("no " + options.bootDir() + "/vmlinuz-*-cloud-amd64 guest kernel", KERNEL_PACKAGE);
        }
        Path newest = found.getLast();
        if (!Files.isReadable(newest)) {
            throw new ImageBuildException("kernel " + newest + " is not readable (Debian installs it 0600: run as root "
                    + "or pass --kernel with a readable copy)");
        }
        return newest;
    }

    /** Version order: digit runs compare as numbers, so vmlinuz-6.1.0-10 is newer than vmlinuz-6.1.0-9. */
    static int compareVersions(String a, String b) {
        java.util.regex.Matcher ma = CHUNK.matcher(a);
        java.util.regex.Matcher mb = CHUNK.matcher(b);
        while (ma.find() && mb.find()) {
            String x = ma.group();
            String y = mb.group();
            boolean nx = Character.isDigit(x.charAt(0));
            boolean ny = Character.isDigit(y.charAt(0));
            int c = nx && ny ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)) : x.compareTo(y);
            if (c != 0) return c;
        }
        return a.compareTo(b);
    }

    private static final java.util.regex.Pattern CHUNK = java.util.regex.Pattern.compile("\\d+|\\D+");

    private static Path modulesDir(Path kernel, Path libModules) throws ImageBuildException {
        Path dir;
        try {
            dir = KernelModules.forKernel(kernel, libModules);
        } catch (IllegalArgumentException e) {
            throw new ImageBuildException("kernel " + kernel + ": the file name must be vmlinuz-<version>, "
                    + "so that its modules can be found under " + libModules + "/<version>");
        }
        if (!Files.isDirectory(dir)) {
            throw ImageBuildException.missing("no kernel modules " + dir + " for " + kernel, KERNEL_PACKAGE);
        }
        return dir;
    }

    private static void checkBusybox(Path busybox) throws ImageBuildException {
        if (!Files.isRegularFile(busybox) || !Files.isExecutable(busybox)) {
            throw ImageBuildException.missing("no busybox at " + busybox, BUSYBOX_PACKAGE);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(busybox)) {
            head = in.readNBytes(1 << 16);
        } catch (IOException e) {
            throw new ImageBuildException("cannot read " + busybox + ": " + describe(e), e);
        }
        Optional<Boolean> dynamic = dynamicallyLinked(head);
        if (dynamic.isEmpty()) throw new ImageBuildException(busybox + " is not a 64-bit ELF executable");
        if (dynamic.get()) {
            // The guest has no libc: a dynamic busybox would fail as /init with "not found".
            throw ImageBuildException.missing(busybox + " is dynamically linked; the guest needs a static one",
                    BUSYBOX_PACKAGE);
        }
    }

    /**
     * Whether a 64-bit little-endian ELF names a program interpreter (PT_INTERP), i.e. is dynamically linked;
     * empty when {@code head} (the file's first bytes, program headers included) is not such an ELF.
     */
    static Optional<Boolean> dynamicallyLinked(byte[] head) {
        if (head.length < 64 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F'
                || head[4] != 2 || head[5] != 1) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        final int ptInterp = 3;
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 > head.length || phentsize < 4) return Optional.empty();
            if (b.getInt((int) at) == ptInterp) return Optional.of(true);
        }
        return Optional.of(false);
    }

    private static Path staging(Path out) throws ImageBuildException {
        try {
            Files.createDirectories(out);
            return Files.createTempDirectory(out, ".image-build-");
        } catch (IOException e) {
            throw new ImageBuildException("cannot write to " + out + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) return "no such file or directory: " + n.getFile();
        if (e instanceof AccessDeniedException a) return "permission denied: " + a.getFile();
        if (e instanceof java.nio.file.FileAlreadyExistsException f) return "a file is in the way: " + f.getFile();
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason() + ": " + f.getFile();
        return String.valueOf(e.getMessage());
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not remove the staging directory {}: {}", dir, e.toString());
        }
    }
}
