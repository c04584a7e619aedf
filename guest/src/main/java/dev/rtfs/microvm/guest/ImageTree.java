package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.guest.image.LockedCapability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The source trees of the two ext4 images, staged so that nothing about the build host leaks in: modes are 0755 for
 * directories and executables and 0644 for other files, every time is the epoch.
 */
final class ImageTree {

    /** Where the rootfs says what it is. */
    static final String RELEASE_FILE = "etc/rtfs-release";

    /** The store's index of user capability packages (read by agent.sh). */
    static final String CAPABILITY_INDEX = ".rtfs-index";

    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private ImageTree() {}

    /** The rootfs: a release line and a README. The guest runs from the initramfs; the rootfs is data only. */
    static void rootfs(Path dir, String release) throws IOException {
        write(dir.resolve(RELEASE_FILE), release + "\n");
        write(dir.resolve("agent/README"), """
                rtfs-microvm guest rootfs, mounted read-only on /mnt/root.
                The reference agent runs from the initramfs (/agent/agent.sh); writable state lives in tmpfs
                and is thrown away when the VM stops. Capabilities are on /agent/capabilities (read-only).
                """);
    }

    /** The accounts of the agent and of user capabilities, unless the userland brought its own. */
    static void accounts(Path dir) throws IOException {
        if (!Files.exists(dir.resolve("etc/passwd"), LinkOption.NOFOLLOW_LINKS)) write(dir.resolve("etc/passwd"), ReferenceAgent.PASSWD);
        if (!Files.exists(dir.resolve("etc/group"), LinkOption.NOFOLLOW_LINKS)) write(dir.resolve("etc/group"), ReferenceAgent.GROUP);
    }

    /** The default capability store: descriptors of two capabilities the reference agent answers. */
    static void defaultCapabilities(Path dir) throws IOException {
        write(dir.resolve("echo.rtfs"), """
                ;; :echo returns its arguments unchanged; pure (no effects).
                (capability :echo :version "1" :effects [])
                """);
        write(dir.resolve("fs.read.rtfs"), """
                ;; :fs.read returns a file's content; reads only (the step's workdir or this store).
                (capability :fs.read :version "1" :effects [[:fs {:modes [:read]}]])
                """);
    }

    /**
     * The store's index, the one file the agent reads to dispatch a user capability: one line per package,
     * {@code <id> <entry>}, sorted by id. Ids and entries are plain names (see {@link LockedCapability}), so the agent
     * splits the line on the space without any quoting. Its name starts with a dot, which no capability id does.
     */
    static void capabilityIndex(Path dir, List<LockedCapability> packages) throws IOException {
        StringBuilder index = new StringBuilder();
        packages.stream().sorted(java.util.Comparator.comparing(LockedCapability::id))
                .forEach(p -> index.append(p.id()).append(' ').append(p.entry()).append('\n'));
        write(dir.resolve(CAPABILITY_INDEX), index.toString());
    }

    /** Copies a user's capability tree: regular files and directories only (no links or devices in the store). */
    static void copy(Path from, Path to) throws IOException, ImageBuildException {
        List<Path> refused = new ArrayList<>();
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.sorted().toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p) || !(Files.isRegularFile(p) || Files.isDirectory(p))) {
                    refused.add(from.relativize(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    if (Files.isExecutable(p)) target.toFile().setExecutable(true, true);
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new ImageBuildException("the capability store " + from + " may hold only regular files and "
                    + "directories; not: " + refused.stream().limit(5).map(Path::toString).toList());
        }
    }

    /** Fixes modes and times, children before their directory (writing a child changes the parent's mtime). */
    static void normalize(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isSymbolicLink()) {
                    // A link has no mode of its own; setting one would follow it.
                    fixTimes(file);
                    return FileVisitResult.CONTINUE;
                }
                boolean exec = Files.isExecutable(file);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                fixTimes(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw e;
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                fixTimes(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * An image size with room for the tree: twice its bytes plus 16 KiB per entry (one inode per 16 KiB, a block for
     * each small file) plus 2 MiB of metadata, rounded up to whole MiB, at least 4 MiB. A function of the tree
     * alone, so it is as reproducible as the tree.
     */
    static long imageSize(Path dir) throws IOException {
        long bytes = 0;
        long entries = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                entries++;
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) bytes += Files.size(p);
            }
        }
        long mib = 1 << 20;
        long wanted = 2 * bytes + entries * 16384 + 2 * mib;
        return Math.max(4 * mib, (wanted + mib - 1) / mib * mib);
    }

    /**
     * The size of an image for a large tree (the Debian userland): its files in whole 4 KiB blocks plus a block per
     * entry, an eighth more for metadata, and at least one inode (16 KiB of image) per entry with a quarter spare;
     * rounded up to whole MiB. Unlike {@link #imageSize} it does not double the bytes, so the image stays small.
     */
    static long packedSize(Path dir) throws IOException {
        long blocks = 0;
        long entries = 0;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                entries++;
                blocks++;
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) blocks += (Files.size(p) + 4095) / 4096;
            }
        }
        long mib = 1 << 20;
        long forData = blocks * 4096 + blocks * 4096 / 8 + 4 * mib;
        long forInodes = entries * 16384 * 5 / 4;
        long wanted = Math.max(forData, forInodes);
        return Math.max(4 * mib, (wanted + mib - 1) / mib * mib);
    }

    private static void fixTimes(Path p) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(EPOCH, EPOCH, null);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
