package dev.rtfs.microvm.guest.image;

import dev.rtfs.microvm.vmm.qemu.KvmBootProbe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The throw-away initramfs {@link KvmBootProbe} boots: busybox only (the probe guest needs no devices), its /init
 * prints {@link KvmBootProbe#PROBE_MARKER} and powers off. Built here because vmm runs the probe but does not build
 * images.
 */
public final class KvmProbeInitramfs {

    /** The file name inside the work directory. */
    public static final String FILE_NAME = "kvm-probe.cpio";

    private KvmProbeInitramfs() {}

    /** Writes the probe initramfs into {@code workDir} and returns its path. */
    public static Path writeTo(Path workDir) throws IOException {
        Path initrd = workDir.resolve(FILE_NAME);
        try (OutputStream out = Files.newOutputStream(initrd)) {
            new GuestInitramfs(GuestInitramfs.DEBIAN_BUSYBOX, GuestModules.none())
                    .write("#!/bin/busybox sh\n/bin/busybox echo " + KvmBootProbe.PROBE_MARKER
                            + "\n/bin/busybox poweroff -f\n", Map.of(), out);
        }
        return initrd;
    }
}
