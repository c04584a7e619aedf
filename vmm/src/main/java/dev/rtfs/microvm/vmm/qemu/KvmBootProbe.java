package dev.rtfs.microvm.vmm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KVM only when a guest was seen to run under it: {@code /dev/kvm} must be read-write and a probe guest
 * (kernel + an initramfs whose /init prints {@code marker} and powers off) must boot under {@code -accel kvm}
 * within the deadline. Without nested virtualization KVM guests hang: the probe then answers TCG.
 */
public final class KvmBootProbe implements AcceleratorProbe {

    private static final Logger LOG = LoggerFactory.getLogger(KvmBootProbe.class);

    private final String qemu;
    private final Path kvmDevice;
    private final Path kernel;
    private final Path probeInitrd;
    private final String marker;
    private final Duration deadline;

    public KvmBootProbe(String qemu, Path kvmDevice, Path kernel, Path probeInitrd, String marker, Duration deadline) {
        this.qemu = qemu;
        this.kvmDevice = kvmDevice;
        this.kernel = kernel;
        this.probeInitrd = probeInitrd;
        this.marker = marker;
        this.deadline = deadline;
    }

    /** The probe guest's marker. */
    public static final String PROBE_MARKER = "RTFS-KVM-PROBE-OK";

    /**
     * A probe over {@code /dev/kvm} booting {@code probeInitrd}: an initramfs whose /init prints
     * {@link #PROBE_MARKER} and powers off (the guest module builds one: {@code KvmProbeInitramfs}).
     */
    public static KvmBootProbe standard(String qemu, Path kernel, Path probeInitrd, Duration deadline) {
        return new KvmBootProbe(qemu, Path.of("/dev/kvm"), kernel, probeInitrd, PROBE_MARKER, deadline);
    }

    @Override
    public Accelerator probe() {
        if (!Files.isReadable(kvmDevice) || !Files.isWritable(kvmDevice)) {
            LOG.info("{} is not usable: QEMU runs under TCG", kvmDevice);
            return Accelerator.TCG;
        }
        List<String> argv = List.of(qemu, "-M", "microvm,x-option-roms=off,rtc=on", "-accel", "kvm", "-m", "128",
                "-smp", "1", "-nodefaults", "-no-user-config", "-nographic", "-no-reboot", "-serial", "stdio",
                "-kernel", kernel.toString(), "-initrd", probeInitrd.toString(),
                "-append", "console=ttyS0 quiet panic=-1 reboot=t");
        try {
            BootOutcome outcome = new BootWatchdog(deadline, 1).boot(argv, marker);
            if (outcome.succeeded()) {
                LOG.info("a KVM guest booted in {}: using KVM", outcome.elapsed());
                return Accelerator.KVM;
            }
            LOG.info("a KVM guest did not boot within {} (no nested virtualization?): using TCG", deadline);
        } catch (IOException e) {
            LOG.info("KVM probe could not start {}: using TCG ({})", qemu, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Accelerator.TCG;
    }
}
