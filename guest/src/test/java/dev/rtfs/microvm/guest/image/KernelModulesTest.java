package dev.rtfs.microvm.guest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module files are read uncompressed and only when built for the kernel being packed; the initramfs loads exactly
 * the loadable modules of the closure, in its order.
 */
class KernelModulesTest {

    private static final String RELEASE = "6.1.0-57-cloud-amd64";

    @TempDir Path dir;

    @Test
    void plainAndXzModulesAreReadUncompressed() throws Exception {
        Path modules = ModuleFixture.newLayout(dir, RELEASE).write();
        Path xz = modules.resolve("kernel/drivers/virtio/virtio_ring.ko.xz");
        try (OutputStream out = new XZCompressorOutputStream(Files.newOutputStream(xz))) {
            out.write(ModuleFixture.ko(RELEASE, "compressed ring"));
        }
        KernelModules files = new KernelModules(modules, RELEASE);
        assertThat(new String(files.load(GuestModule.loadable("virtio_ring", "kernel/drivers/virtio/virtio_ring.ko.xz")),
                StandardCharsets.US_ASCII)).contains("compressed ring");
        assertThat(files.load(GuestModule.loadable("virtio", ModuleFixture.VIRTIO)))
                .isEqualTo(ModuleFixture.ko(RELEASE, ModuleFixture.VIRTIO));
    }

    @Test
    void aModuleOfAnotherKernelIsRefusedNamingTheFileAndBothVersions() throws Exception {
        Path modules = ModuleFixture.newLayout(dir, RELEASE).write("6.1.0-9-cloud-amd64");
        assertThatThrownBy(() -> GuestModules.forMicrovm(modules, RELEASE))
                .isInstanceOf(KernelInputException.class)
                .hasMessageContaining("kernel module " + modules.resolve(ModuleFixture.MMIO).getParent())
                .hasMessageContaining("built for kernel 6.1.0-9-cloud-amd64, not " + RELEASE)
                .hasMessageContaining("modules directory of another kernel version");
        // A release that only starts the same is still another kernel.
        Path prefix = ModuleFixture.newLayout(dir.resolve("p"), RELEASE).write(RELEASE + "-rt");
        assertThatThrownBy(() -> GuestModules.forMicrovm(prefix, RELEASE)).isInstanceOf(KernelInputException.class)
                .hasMessageContaining("built for kernel " + RELEASE + "-rt");
    }

    @Test
    void aFileWithoutVermagicIsNotAModule() throws Exception {
        Path modules = ModuleFixture.newLayout(dir, RELEASE).write();
        Files.writeString(modules.resolve(ModuleFixture.RING), "not a module");
        assertThatThrownBy(() -> GuestModules.forMicrovm(modules, RELEASE)).isInstanceOf(KernelInputException.class)
                .hasMessage("kernel module " + modules.resolve(ModuleFixture.RING) + " has no vermagic: not a kernel module");
    }

    @Test
    void vermagicIsReadUpToItsNul() {
        assertThat(KernelModules.vermagic("x\0vermagic=6.1.0-57-cloud-amd64 SMP preempt mod_unload \0y".getBytes(
                StandardCharsets.US_ASCII))).contains("6.1.0-57-cloud-amd64 SMP preempt mod_unload ");
        assertThat(KernelModules.vermagic("__UNIQUE_ID_vermagic194\0".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(KernelModules.vermagic("vermagic=".getBytes(StandardCharsets.US_ASCII))).contains("");
    }

    @Test
    void initLoadsTheLoadableModulesInClosureOrderAndSkipsBuiltIns() throws Exception {
        Path modules = ModuleFixture.newLayout(dir, RELEASE).write();
        GuestModules guest = GuestModules.forMicrovm(modules, RELEASE);
        GuestInitramfs initramfs = new GuestInitramfs(Path.of("/bin/sh"), guest);
        List<String> insmods = initramfs.preamble().lines().filter(l -> l.startsWith("insmod ")).toList();
        assertThat(insmods).isEqualTo(guest.loaded().stream().map(m -> "insmod /lib/modules/" + m + ".ko").toList());
        assertThat(guest.loaded()).doesNotContain("ext4").startsWith("virtio_ring", "virtio");
        assertThat(guest.builtIn()).containsExactly("ext4");

        Path busybox = Files.writeString(dir.resolve("busybox"), "fake busybox");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GuestInitramfs(busybox, guest).write("#!/bin/sh\n", java.util.Map.of(), out);
        java.util.Map<String, byte[]> files = new java.util.HashMap<>();
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            for (CpioArchiveEntry e; (e = cpio.getNextEntry()) != null; ) files.put(e.getName(), cpio.readAllBytes());
        }
        assertThat(files.get("lib/modules/virtio_ring.ko")).isEqualTo(ModuleFixture.ko(RELEASE, ModuleFixture.RING));
        assertThat(files.get("lib/modules/virtio_rng.ko")).isNull();
        assertThat(files.keySet().stream().filter(n -> n.startsWith("lib/modules/") && n.endsWith(".ko")).count())
                .isEqualTo(guest.loaded().size());
    }
}
