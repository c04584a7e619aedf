package dev.rtfs.microvm.guest.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake {@code /lib/modules/<release>}: modules.dep lines as given, modules.builtin, and tiny .ko files that carry
 * only a {@code vermagic=} string, as a real module's .modinfo does.
 */
final class ModuleFixture {

    private final Path dir;
    private final String release;
    private final Map<String, List<String>> dep = new LinkedHashMap<>();
    private final StringBuilder builtin = new StringBuilder();

    ModuleFixture(Path libModules, String release) {
        this.dir = libModules.resolve(release);
        this.release = release;
    }

    /** A loadable module file (relative path) needing {@code deps} (relative paths). */
    ModuleFixture module(String file, String... deps) {
        dep.put(file, List.of(deps));
        return this;
    }

    ModuleFixture builtIn(String file) {
        builtin.append(file).append('\n');
        return this;
    }

    /** Writes everything; every module file built for {@code vermagicRelease}. */
    Path write(String vermagicRelease) throws IOException {
        Files.createDirectories(dir);
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, List<String>> e : dep.entrySet()) {
            text.append(e.getKey()).append(':');
            for (String d : e.getValue()) text.append(' ').append(d);
            text.append('\n');
            Path ko = dir.resolve(e.getKey());
            Files.createDirectories(ko.getParent());
            Files.write(ko, ko(vermagicRelease, e.getKey()));
        }
        Files.writeString(dir.resolve(ModuleDependencies.DEP_FILE), text);
        Files.writeString(dir.resolve(ModuleDependencies.BUILTIN_FILE), builtin);
        return dir;
    }

    Path write() throws IOException {
        return write(release);
    }

    static byte[] ko(String release, String what) {
        return ("\u007fELF fake module " + what + "\0license=GPL\0vermagic=" + release + " SMP mod_unload \0name=x\0")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static final String VIRTIO = "kernel/drivers/virtio/virtio.ko";
    static final String RING = "kernel/drivers/virtio/virtio_ring.ko";
    static final String MMIO = "kernel/drivers/virtio/virtio_mmio.ko";
    static final String BLK = "kernel/drivers/block/virtio_blk.ko";
    static final String NET = "kernel/drivers/net/virtio_net.ko";
    static final String NET_FAILOVER = "kernel/drivers/net/net_failover.ko";
    static final String FAILOVER = "kernel/net/core/failover.ko";
    static final String CONSOLE = "kernel/drivers/char/virtio_console.ko";
    static final String VSOCK = "kernel/net/vmw_vsock/vsock.ko";
    static final String VSOCK_COMMON = "kernel/net/vmw_vsock/vmw_vsock_virtio_transport_common.ko";
    static final String VSOCK_VIRTIO = "kernel/net/vmw_vsock/vmw_vsock_virtio_transport.ko";
    static final String RNG = "kernel/drivers/char/hw_random/virtio-rng.ko";
    static final String EXT4 = "kernel/fs/ext4/ext4.ko";

    /** Laid out like Debian's 6.1.0-57: virtio depends on virtio_ring. */
    static ModuleFixture newLayout(Path libModules, String release) {
        return common(new ModuleFixture(libModules, release).module(VIRTIO, RING).module(RING));
    }

    /** Laid out like the kernels before: virtio_ring depends on virtio. */
    static ModuleFixture oldLayout(Path libModules, String release) {
        return common(new ModuleFixture(libModules, release).module(VIRTIO).module(RING, VIRTIO));
    }

    private static ModuleFixture common(ModuleFixture f) {
        return f.module(MMIO, VIRTIO, RING)
                .module(BLK, VIRTIO, RING)
                .module(NET, NET_FAILOVER, FAILOVER, VIRTIO, RING)
                .module(NET_FAILOVER, FAILOVER)
                .module(FAILOVER)
                .module(CONSOLE, VIRTIO, RING)
                .module(VSOCK)
                .module(VSOCK_COMMON, VSOCK)
                .module(VSOCK_VIRTIO, VSOCK_COMMON, VSOCK, VIRTIO, RING)
                .module(RNG, VIRTIO, RING)
                .builtIn("kernel/fs/binfmt_script.ko")
                .builtIn(EXT4);
    }
}
