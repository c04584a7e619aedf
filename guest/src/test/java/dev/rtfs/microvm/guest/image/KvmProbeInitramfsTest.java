package dev.rtfs.microvm.guest.image;

import static dev.rtfs.microvm.guest.image.Prerequisites.requireThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.vmm.qemu.KvmBootProbe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initramfs the KVM probe boots is busybox and an /init that prints the probe's marker and powers off. */
class KvmProbeInitramfsTest {

    @TempDir Path dir;

    @Test
    void theProbeInitPrintsTheMarkerThatKvmBootProbeWaitsForAndLoadsNoModules() throws IOException {
        requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        Path initrd = KvmProbeInitramfs.writeTo(dir);
        assertThat(initrd.getParent()).isEqualTo(dir);
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream file = Files.newInputStream(initrd); CpioArchiveInputStream in = new CpioArchiveInputStream(file)) {
            for (CpioArchiveEntry e; (e = in.getNextCPIOEntry()) != null; ) {
                // Only /init's text matters here; busybox is big and binary.
                files.put(e.getName(), e.getName().equals("init")
                        ? new String(in.readNBytes(4096), StandardCharsets.UTF_8) : "");
            }
        }
        assertThat(files).containsKeys("init", "bin/busybox");
        assertThat(files.keySet()).noneMatch(name -> name.endsWith(".ko"));
        assertThat(files.get("init")).contains("echo " + KvmBootProbe.PROBE_MARKER).contains("poweroff -f");
    }
}
