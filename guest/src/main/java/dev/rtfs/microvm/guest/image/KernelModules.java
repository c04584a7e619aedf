package dev.rtfs.microvm.guest.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads module files of one kernel uncompressed ({@code .ko}, {@code .ko.xz}, {@code .ko.zst}) and checks that each
 * was built for that kernel: the {@code vermagic=} of its {@code .modinfo} must start with the kernel's release.
 * A module of another kernel would be refused by the guest's insmod, and the boot would fail far from the cause.
 */
final class KernelModules {

    private static final byte[] VERMAGIC = "vermagic=".getBytes(StandardCharsets.US_ASCII);

    private final Path modulesDir;
    private final String kernelRelease;

    public KernelModules(Path modulesDir, String kernelRelease) {
        this.modulesDir = modulesDir;
        this.kernelRelease = kernelRelease;
    }

    /** The module's uncompressed bytes, after checking its vermagic against the kernel release. */
    public byte[] load(GuestModule module) throws KernelInputException {
        String file = module.file().orElseThrow(() -> new IllegalArgumentException(module.name() + " is built in"));
        Path path = modulesDir.resolve(file);
        byte[] bytes;
        try {
            bytes = read(path);
        } catch (IOException e) {
            throw new KernelInputException("cannot read kernel module " + path + ": " + e.getMessage(), e);
        }
        Optional<String> vermagic = vermagic(bytes);
        if (vermagic.isEmpty()) {
            throw new KernelInputException("kernel module " + path + " has no vermagic: not a kernel module");
        }
        String builtFor = vermagic.get().strip().split("\\s+", 2)[0];
        if (!builtFor.equals(kernelRelease)) {
            throw new KernelInputException("kernel module " + path + " was built for kernel " + builtFor + ", not "
                    + kernelRelease + " (modules directory of another kernel version)");
        }
        return bytes;
    }

    /** The first {@code vermagic=} value in a module's bytes (up to its NUL), if any. */
    public static Optional<String> vermagic(byte[] ko) {
        outer:
        for (int i = 0; i + VERMAGIC.length <= ko.length; i++) {
            for (int k = 0; k < VERMAGIC.length; k++) {
                if (ko[i + k] != VERMAGIC[k]) continue outer;
            }
            int start = i + VERMAGIC.length;
            int end = start;
            while (end < ko.length && ko[end] != 0) end++;
            return Optional.of(new String(ko, start, end - start, StandardCharsets.US_ASCII));
        }
        return Optional.empty();
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
