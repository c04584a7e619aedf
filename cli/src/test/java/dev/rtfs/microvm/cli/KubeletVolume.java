package dev.rtfs.microvm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A ConfigMap, Secret or projected volume laid out as the kubelet's atomic writer does: the files in a hidden
 * timestamped directory, {@code ..data} a symlink to it, and one symlink per key {@code KEY -> ..data/KEY}. So a
 * reader of the mount sees what a container sees: regular files only through symlinks, and dot-names beside them.
 */
final class KubeletVolume {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.SSSSSSSSS");

    private KubeletVolume() {}

    /** Writes {@code files} (path in the volume → content) under {@code mount}, which is created. */
    static Path project(Path mount, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(mount);
        Path stamped = stamped(mount, files);
        Files.createSymbolicLink(mount.resolve("..data"), stamped.getFileName());
        for (String key : files.keySet()) {
            Files.createSymbolicLink(mount.resolve(key), Path.of("..data", key));
        }
        return mount;
    }

    /**
     * Replaces the content as the kubelet does when the ConfigMap or Secret changes: a new timestamped directory,
     * {@code ..data} swapped to it by one rename (a reader sees the old set or the new one, never a mix), key links
     * added or removed, the old directory deleted.
     */
    static void update(Path mount, Map<String, byte[]> files) throws IOException {
        Path old = mount.resolve(Files.readSymbolicLink(mount.resolve("..data")));
        Path stamped = stamped(mount, files);
        Path next = Files.createSymbolicLink(mount.resolve("..data_tmp"), stamped.getFileName());
        Files.move(next, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String key : files.keySet()) {
            if (!Files.exists(mount.resolve(key), LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(mount.resolve(key), Path.of("..data", key));
            }
        }
        try (Stream<Path> links = Files.list(mount)) {
            for (Path link : links.toList()) {
                String name = link.getFileName().toString();
                if (!name.startsWith(".") && !files.containsKey(name)) Files.delete(link);
            }
        }
        try (Stream<Path> gone = Files.list(old)) {
            for (Path f : gone.toList()) Files.delete(f);
        }
        Files.delete(old);
    }

    private static Path stamped(Path mount, Map<String, byte[]> files) throws IOException {
        Path stamped;
        do {
            stamped = mount.resolve(LocalDateTime.now().format(STAMP));
        } while (Files.exists(stamped));
        Files.createDirectory(stamped);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (f.getKey().contains("/") || f.getKey().startsWith(".")) {
                throw new IllegalArgumentException("a flat, visible key, not " + f.getKey());
            }
            Files.write(stamped.resolve(f.getKey()), f.getValue());
        }
        return stamped;
    }
}
