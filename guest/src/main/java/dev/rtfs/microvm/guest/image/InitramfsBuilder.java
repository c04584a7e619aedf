package dev.rtfs.microvm.guest.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * A deterministic newc cpio archive, the format the kernel unpacks as initramfs. Same inputs, same bytes:
 * entries are sorted by path, parents are added implicitly, and mtime, uid, gid, inode numbers and device
 * numbers are fixed, so the archive's sha256 can go into image.lock.
 */
final class InitramfsBuilder {

    /** Every entry's mtime: the epoch (reproducible builds). */
    public static final long MTIME = 0;

    private sealed interface Node permits Dir, File, Symlink, CharDevice {}
    private record Dir(int mode) implements Node {}
    private record File(int mode, byte[] content) implements Node {}
    private record Symlink(String target) implements Node {}
    private record CharDevice(int mode, int major, int minor) implements Node {}

    private final Map<String, Node> entries = new TreeMap<>();

    public InitramfsBuilder directory(String path) {
        addParents(path);
        entries.putIfAbsent(normalize(path), new Dir(0755));
        return this;
    }

    public InitramfsBuilder file(String path, int mode, byte[] content) {
        addParents(path);
        entries.put(normalize(path), new File(mode, content.clone()));
        return this;
    }

    public InitramfsBuilder executable(String path, String script) {
        return file(path, 0755, script.getBytes(StandardCharsets.UTF_8));
    }

    public InitramfsBuilder symlink(String path, String target) {
        addParents(path);
        entries.put(normalize(path), new Symlink(Objects.requireNonNull(target)));
        return this;
    }

    /**
     * A character device node, e.g. /dev/console (5:1): the kernel opens it for init's stdio before /init runs,
     * so it must exist in the archive itself.
     */
    public InitramfsBuilder charDevice(String path, int mode, int major, int minor) {
        addParents(path);
        entries.put(normalize(path), new CharDevice(mode, major, minor));
        return this;
    }

    public boolean contains(String path) {
        return entries.containsKey(normalize(path));
    }

    private void addParents(String path) {
        String p = normalize(path);
        for (int slash = p.indexOf('/'); slash > 0; slash = p.indexOf('/', slash + 1)) {
            entries.putIfAbsent(p.substring(0, slash), new Dir(0755));
        }
    }

    /** Archive paths are relative ("bin/busybox"), as the kernel expects. */
    private static String normalize(String path) {
        String p = path;
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        if (p.isEmpty() || p.contains("//") || p.equals("..") || p.startsWith("../") || p.contains("/../")) {
            throw new IllegalArgumentException("bad archive path: '" + path + "'");
        }
        return p;
    }

    /** Writes the archive (uncompressed newc, trailer included); does not close {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(new NonClosing(out), CpioConstants.FORMAT_NEW);
        long inode = 1;
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.getKey());
            entry.setInode(inode++);
            entry.setUID(0);
            entry.setGID(0);
            entry.setNumberOfLinks(1);
            entry.setTime(MTIME);
            entry.setDeviceMaj(0);
            entry.setDeviceMin(0);
            byte[] data = switch (e.getValue()) {
                case Dir d -> {
                    entry.setMode(CpioConstants.C_ISDIR | d.mode());
                    entry.setNumberOfLinks(2);
                    yield new byte[0];
                }
                case File f -> {
                    entry.setMode(CpioConstants.C_ISREG | f.mode());
                    yield f.content();
                }
                case CharDevice c -> {
                    entry.setMode(CpioConstants.C_ISCHR | c.mode());
                    entry.setRemoteDeviceMaj(c.major());
                    entry.setRemoteDeviceMin(c.minor());
                    yield new byte[0];
                }
                case Symlink s -> {
                    entry.setMode(CpioConstants.C_ISLNK | 0777);
                    yield s.target().getBytes(StandardCharsets.UTF_8);
                }
            };
            entry.setSize(data.length);
            cpio.putArchiveEntry(entry);
            cpio.write(data);
            cpio.closeArchiveEntry();
        }
        cpio.finish();
        cpio.flush();
    }

    /** The cpio stream's close() would close the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
