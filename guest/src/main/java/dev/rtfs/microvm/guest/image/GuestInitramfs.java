package dev.rtfs.microvm.guest.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The guest's initramfs: busybox-static, the modules the guest needs from its kernel and an {@code /init}.
 * {@link #preamble()} is the standard start of every /init (mounts, module loading, RO root on /mnt/root); the
 * caller appends what the guest does next (the reference agent, or a test marker) and how it powers off.
 */
public final class GuestInitramfs {

    /** Debian busybox-static installs here. */
    public static final Path DEBIAN_BUSYBOX = Path.of("/bin/busybox");

    private final Path busybox;
    private final GuestModules modules;

    /** {@code modules}: the resolved closure, loaded by /init in its order ({@link GuestModules#none()} for none). */
    public GuestInitramfs(Path busybox, GuestModules modules) {
        this.busybox = Objects.requireNonNull(busybox);
        this.modules = Objects.requireNonNull(modules);
    }

    public GuestModules modules() {
        return modules;
    }

    /**
     * Mount the pseudo filesystems, load the modules in order, mount /dev/vda read-only on /mnt/root and, when
     * present, the capability store /dev/vdb read-only on /agent/capabilities.
     */
    public String preamble() {
        StringBuilder s = new StringBuilder("""
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                export PATH=/bin
                mount -t proc proc /proc
                mount -t sysfs sys /sys
                mount -t devtmpfs dev /dev
                """);
        // Built-in modules (ext4 on Debian's cloud kernel) are in the kernel already: nothing to insmod.
        for (String m : modules.loaded()) s.append("insmod /lib/modules/").append(m).append(".ko\n");
        s.append("""
                mount -o ro /dev/vda /mnt/root
                if [ -b /dev/vdb ]; then mount -o ro /dev/vdb /agent/capabilities; fi
                """);
        return s.toString();
    }

    /** Writes the archive with {@code init} as /init. */
    public void write(String init, Map<String, byte[]> extraFiles, OutputStream out) throws IOException {
        InitramfsBuilder b = new InitramfsBuilder()
                .file("bin/busybox", 0755, Files.readAllBytes(busybox))
                .symlink("bin/sh", "busybox")
                .charDevice("dev/console", 0600, 5, 1)
                .directory("dev").directory("proc").directory("sys").directory("tmp")
                .directory("mnt/root").directory("agent/capabilities")
                .executable("init", init);
        for (Map.Entry<String, byte[]> m : modules.contents().entrySet()) {
            b.file("lib/modules/" + m.getKey() + ".ko", 0644, m.getValue());
        }
        for (Map.Entry<String, byte[]> f : extraFiles.entrySet()) b.file(f.getKey(), 0755, f.getValue());
        b.writeTo(out);
    }
}
