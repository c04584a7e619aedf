package dev.rtfs.microvm.vmm.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Finds kernel modules by name under {@code /lib/modules/<version>/} and returns them uncompressed. */
public final class KernelModules {

    /**
     * The virtio modules the Debian cloud kernel needs for a microvm guest, in load order (dependencies first):
     * block root, the NIC, and the virtio-serial control channel (DESIGN §7).
     */
    public static final List<String> MICROVM_VIRTIO = List.of(
            "virtio", "virtio_ring", "virtio_mmio", "virtio_blk", "failover", "net_failover", "virtio_net",
            "virtio_console");

    private final Path modulesDir;

    public KernelModules(Path modulesDir) {
        this.modulesDir = modulesDir;
    }

    /** {@code /lib/modules/<version>} for a kernel image named {@code vmlinuz-<version>}. */
    public static Path forKernel(Path kernelImage, Path libModules) {
        String name = kernelImage.getFileName().toString();
        if (!name.startsWith("vmlinuz-")) {
            throw new IllegalArgumentException("kernel image name is not vmlinuz-<version>: " + name);
        }
        return libModules.resolve(name.substring("vmlinuz-".length()));
    }

    /** Module name → uncompressed .ko bytes, in the order asked. */
    public Map<String, byte[]> load(List<String> names) throws IOException {
        if (names.isEmpty()) return Map.of();
        Map<String, Path> found = index();
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : names) {
            Path p = found.get(name);
            if (p == null) {
                throw new IOException("kernel module " + name + " not found under " + modulesDir
                        + " (install the kernel package that matches the guest kernel)");
            }
            out.put(name, read(p));
        }
        return out;
    }

    private Map<String, Path> index() throws IOException {
        if (!Files.isDirectory(modulesDir)) {
            throw new IOException("no kernel modules directory " + modulesDir);
        }
        Map<String, Path> byName = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(modulesDir)) {
            files.filter(Files::isRegularFile).sorted().forEach(p -> {
                String n = p.getFileName().toString();
                String base = n.endsWith(".ko") ? n.substring(0, n.length() - 3)
                        : n.endsWith(".ko.xz") ? n.substring(0, n.length() - 6)
                        : n.endsWith(".ko.zst") ? n.substring(0, n.length() - 7)
                        : null;
                if (base != null) byName.putIfAbsent(base, p);
            });
        }
        return byName;
    }

    private static byte[] read(Path module) throws IOException {
        String n = module.getFileName().toString();
        if (n.endsWith(".ko")) return Files.readAllBytes(module);
        if (n.endsWith(".ko.xz")) {
            try (InputStream in = new XZCompressorInputStream(Files.newInputStream(module))) {
                return in.readAllBytes();
            }
        }
        // zstd needs a native codec in Java; the zstd tool is on every host that ships such modules.
        Process p = new ProcessBuilder("zstd", "-dc", module.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] data;
        try (InputStream in = p.getInputStream()) {
            data = in.readAllBytes();
        }
        try {
            if (p.waitFor() != 0) throw new IOException("zstd -dc " + module + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decompressing " + module, e);
        }
        return data;
    }
}
