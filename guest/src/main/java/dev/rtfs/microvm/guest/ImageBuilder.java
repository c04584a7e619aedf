package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.guest.image.GuestKernel;
import dev.rtfs.microvm.guest.image.GuestKernelNeeds;
import dev.rtfs.microvm.guest.image.GuestModules;
import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.guest.image.KernelInputException;
import dev.rtfs.microvm.guest.image.LockedPackage;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
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
 * {@code image build}: the guest kernel, an initramfs with busybox-static, the modules the guest needs
 * ({@link GuestKernelNeeds}, in the load order of that kernel's modules.dep) and the reference agent, a read-only
 * ext4 rootfs, a read-only ext4 capability store and {@code image.lock} (which also records the kernel release and
 * the module load order).
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
     * Builds everything into {@code options.out()} without verification ({@link ImageVerifier#NONE}). {@code progress}
     * gets one short line per stage (the CLI shows them on a terminal only).
     */
    public ImageBuildResult build(ImageBuildOptions options, Consumer<String> progress) throws ImageBuildException {
        return build(options, progress, ImageVerifier.NONE);
    }

    /**
     * Builds everything into {@code options.out()}; {@code verifier} sees the complete staged image (image.lock
     * included) before anything is moved into place, and a verifier that throws leaves the previous artifacts as
     * they were.
     */
    public ImageBuildResult build(ImageBuildOptions options, Consumer<String> progress, ImageVerifier verifier)
            throws ImageBuildException {
        Objects.requireNonNull(verifier);
        long start = System.nanoTime();
        GuestKernel kernel = kernel(options);
        Path modulesDir = modulesDir(kernel, options.libModules());
        checkBusybox(options.busybox());
        for (String tool : Ext4Image.requiredTools()) {
            if (tools.locate(tool).isEmpty()) throw ImageBuildException.missing(tool + " is not installed", "e2fsprogs");
        }
        if (options.capabilities().isPresent() && !Files.isDirectory(options.capabilities().get())) {
            throw new ImageBuildException("capability store " + options.capabilities().get() + ": not a directory");
        }
        Optional<DebClosure.Resolution> userland = Optional.empty();
        if (options.userland().isPresent()) userland = Optional.of(resolveUserland(options.userland().get()));
        GuestModules modules;
        try {
            modules = GuestModules.forMicrovm(modulesDir, kernel.release());
        } catch (KernelInputException e) {
            throw new ImageBuildException(e.getMessage(), e);
        }

        ImageLayout layout = new ImageLayout(options.out());
        Path staging = staging(options.out());
        try {
            ImageLayout staged = new ImageLayout(staging.resolve("out"));
            Files.createDirectories(staged.kernel().getParent());
            Files.createDirectories(staged.images());

            progress.accept("kernel " + kernel.image() + " (" + kernel.release() + ", " + kernel.choice() + ")");
            Files.copy(kernel.image(), staged.kernel());

            progress.accept("initramfs: busybox, " + modules.loaded().size() + " modules from " + modulesDir
                    + " (closure of " + GuestKernelNeeds.roots().size() + " needs: " + modules.order().size()
                    + " modules, built in: " + String.join(", ", modules.builtIn()) + "), reference agent");
            GuestInitramfs initramfs = new GuestInitramfs(options.busybox(), modules);
            try (OutputStream out = Files.newOutputStream(staged.initramfs())) {
                initramfs.write(ReferenceAgent.init(initramfs), ReferenceAgent.initramfsFiles(), out);
            }

            Ext4Image ext4 = new Ext4Image(tools, staging);
            Path rootTree = staging.resolve("tree-rootfs");
            long rootSize;
            if (userland.isPresent()) {
                progress.accept("userland: " + userland.get().packages().size() + " Debian packages (left out: "
                        + String.join(", ", userland.get().excludedAskedFor()) + ")");
                new DebianUserland(tools).assemble(rootTree, userland.get().packages(), options.busybox(),
                        options.userland().get().caCerts());
                ImageTree.rootfs(rootTree, options.release());
                ImageTree.accounts(rootTree);
                ImageTree.normalize(rootTree);
                rootSize = ImageTree.packedSize(rootTree);
            } else {
                ImageTree.rootfs(rootTree, options.release());
                ImageTree.normalize(rootTree);
                rootSize = ImageTree.imageSize(rootTree);
            }
            progress.accept("rootfs (ext4, read-only)");
            ext4.build(rootTree, staged.rootfs(), new Ext4Image.Spec("rtfs-root", ROOTFS_UUID, rootSize));

            Path capsTree = staging.resolve("tree-capabilities");
            if (options.capabilities().isPresent()) {
                ImageTree.copy(options.capabilities().get(), capsTree);
                if (!options.packages().isEmpty()) ImageTree.capabilityIndex(capsTree, options.packages());
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
            ImageLock lock = ImageLock.of(hashes, kernel.release(), modules.loaded(), modules.builtIn());
            if (userland.isPresent()) {
                lock = lock.withPackages(userland.get().packages().stream()
                        .map(p -> new LockedPackage(p.name(), p.version(), p.architecture(), p.sha256())).toList());
            }
            lock = lock.withCapabilities(options.packages());
            lock.write(staged.images());

            // Before anything moves: an image that cannot boot never replaces the previous one.
            Optional<Duration> bootToHello = verifier.verify(staged);
            Objects.requireNonNull(bootToHello, "ImageVerifier returned null");

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
            return new ImageBuildResult(layout, artifacts, lock, kernel.image(), kernel.release(), modules.order(), took,
                    bootToHello);
        } catch (IOException e) {
            throw new ImageBuildException("cannot build the image in " + options.out() + ": " + describe(e), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /**
     * The closure of the userland's packages over the local debs; a package without a local {@code .deb} fails the
     * build before anything is written, naming the command that fetches it.
     */
    DebClosure.Resolution resolveUserland(UserlandOptions userland) throws ImageBuildException {
        for (Path anchor : userland.caCerts()) DebianUserland.checkedAnchor(anchor);
        LocalDebs debs = LocalDebs.open(tools, userland.debDirs());
        try {
            return DebClosure.resolve(userland.roots(), debs);
        } catch (DebClosure.UnresolvedException e) {
            DebClosure.Missing m = e.missing();
            String fetch = m.version().isPresent()
                    ? "(mkdir -p " + debs.fetchDir() + " && cd " + debs.fetchDir() + " && apt-get download "
                            + m.name() + "=" + m.version().get() + "), or scripts/guest-debs " + m.name()
                    : "apt-get install " + m.name() + " && scripts/guest-debs " + m.name()
                            + " (the guest takes the host's installed version)";
            String where = m.version().isPresent() ? " in " + userland.debDirs() : " and is not installed on this host";
            throw new ImageBuildException(e.getMessage() + where + "; fetch it: " + fetch, e);
        }
    }

    /** {@code --kernel}, or the newest {@code vmlinuz-*-cloud-amd64} in the boot directory (Debian version order). */
    GuestKernel kernel(ImageBuildOptions options) throws ImageBuildException {
        try {
            if (options.kernel().isPresent()) return GuestKernel.given(options.kernel().get());
            return GuestKernel.newestIn(options.bootDir()).orElseThrow(() -> ImageBuildException.missing(
                    "no " + options.bootDir() + "/vmlinuz-*-cloud-amd64 guest kernel", KERNEL_PACKAGE));
        } catch (KernelInputException e) {
            throw new ImageBuildException(e.getMessage(), e);
        }
    }

    /** {@code <libModules>/<release>}, the release read from the kernel image (not its file name). */
    private static Path modulesDir(GuestKernel kernel, Path libModules) throws ImageBuildException {
        Path dir = kernel.modulesDir(libModules);
        if (!Files.isDirectory(dir)) {
            throw ImageBuildException.missing("no kernel modules " + dir + " for " + kernel.image() + " (kernel "
                    + kernel.release() + ")", KERNEL_PACKAGE);
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
