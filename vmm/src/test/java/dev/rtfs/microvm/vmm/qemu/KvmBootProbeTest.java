package dev.rtfs.microvm.vmm.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe without booting anything; the KVM boot itself is exercised by the guest module's QemuBootTest. */
class KvmBootProbeTest {

    @TempDir Path dir;

    @Test
    void probeAnswersTcgWhenKvmIsNotUsable() {
        AcceleratorProbe probe = new KvmBootProbe("qemu-system-x86_64", dir.resolve("no-such-kvm"),
                dir.resolve("vmlinuz"), dir.resolve("none.cpio"), "x", Duration.ofSeconds(1));
        assertThat(probe.probe()).isEqualTo(Accelerator.TCG);
    }
}
