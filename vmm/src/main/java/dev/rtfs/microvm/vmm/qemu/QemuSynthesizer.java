package dev.rtfs.microvm.vmm.qemu;

import dev.rtfs.microvm.vmm.KernelCmdline;
import dev.rtfs.microvm.vmm.RunDirLayout;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.VmBlueprint;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSynthesizer;
import java.util.ArrayList;
import java.util.List;

/** Pure: a {@link VmBlueprint}, host options and the probed accelerator to the QEMU microvm argv. */
public final class QemuSynthesizer {

    /** Where the guest reaches its egress proxy; user networking forwards each connection to 127.0.0.1:proxyPort. */
    public static final String GUEST_PROXY_ADDRESS = "10.0.2.100";
    public static final int GUEST_PROXY_PORT = 3128;
    /**
     * How a guest connection to the proxy address reaches the host proxy: a relay process per connection (QEMU's
     * {@code guestfwd=...-cmd:}), from busybox-static. {@code guestfwd=...-tcp:} would be one host connection
     * opened at QEMU's start and shared by every guest connection in turn: once the proxy closes it (it does
     * after a {@code Connection: close} request, which is every busybox wget) the guest has no way out left.
     */
    public static final String GUESTFWD_RELAY = "/bin/busybox nc 127.0.0.1 ";
    /** Name of the virtio-serial port; the guest sees it as /dev/vport*p1 and /sys/class/virtio-ports/.../name. */
    public static final String CONTROL_PORT_NAME = "ctl0";

    private QemuSynthesizer() {}

    /**
     * The config's cmdline plus the guest-log console ({@link KernelCmdline#withGuestLog}), {@code panic=-1} (always)
     * and {@code reboot=t} (a panic or reboot ends QEMU because of
     * {@code -no-reboot}), and under TCG {@code tsc_early_khz=2000000}: without it the guest hangs in TSC
     * calibration when the host is busy. Without an initramfs the root is mounted by the kernel: RO /dev/vda.
     */
    public static String cmdline(VmBlueprint vm, Accelerator accel, boolean initramfs) {
        // panic=-1 is not the config's to change: a panicked guest must end QEMU (-no-reboot), so the supervisor
        // sees the exit at once instead of a VM that hangs until the hello timeout.
        KernelCmdline c = KernelCmdline.parse(vm.kernelCmdline()).without("root").withRequiredFirst("panic=-1")
                .withDefaults("quiet", "reboot=t").withGuestLog();
        if (accel == Accelerator.TCG) c = c.withRequiredFirst("tsc_early_khz=2000000");
        if (!initramfs) c = c.withRequiredFirst("root=/dev/vda", "ro");
        return c.toString();
    }

    public static QemuSpec synthesize(VmBlueprint vm, SynthOptions options, Accelerator accel) {
        return synthesize(vm, options, accel, ControlChannelMode.CLIENT);
    }

    public static QemuSpec synthesize(VmBlueprint vm, SynthOptions options, Accelerator accel, ControlChannelMode mode) {
        RunDirLayout run = new RunDirLayout(options.runDir());
        List<String> a = new ArrayList<>(List.of(
                options.binaries().qemu(),
                "-M", "microvm,x-option-roms=off,rtc=on",
                "-accel", accel.qemuName(),
                "-m", Integer.toString(vm.memMb()),
                "-smp", Integer.toString(vm.vcpus()),
                "-nodefaults", "-no-user-config", "-nographic", "-no-reboot",
                "-serial", "stdio",
                "-kernel", options.resolve(vm.kernelImage())));
        options.initrd().ifPresent(i -> a.addAll(List.of("-initrd", i.toString())));
        a.addAll(List.of("-append", cmdline(vm, accel, options.initrd().isPresent())));

        // RO virtio-blk: the guest sees writes fail with "Read-only file system".
        a.addAll(List.of(
                "-drive", "id=root,file=" + qemuPath(options.resolve(vm.rootfsImage())) + ",format=raw,if=none,readonly=on",
                "-device", "virtio-blk-device,drive=root"));
        if (vm.capabilitiesMount()) {
            a.addAll(List.of(
                    "-drive", "id=caps,file=" + qemuPath(FirecrackerSynthesizer.capabilitiesImage(vm, options))
                            + ",format=raw,if=none,readonly=on",
                    "-device", "virtio-blk-device,drive=caps"));
        }
        // The run's config disk last, so its guest name (rtfs.run_config) follows from the drives before it.
        options.runConfigDisk().ifPresent(d -> a.addAll(List.of(
                "-drive", "id=run_config,file=" + qemuPath(d.toString()) + ",format=raw,if=none,readonly=on",
                "-device", "virtio-blk-device,drive=run_config")));
        // restrict=on: no route to the host or the outside; the guestfwd to the proxy is the only way out.
        if (vm.nic().isPresent()) {
            a.addAll(List.of(
                    "-netdev", "user,id=n0,restrict=on,guestfwd=tcp:" + GUEST_PROXY_ADDRESS + ":" + GUEST_PROXY_PORT
                            + "-cmd:" + GUESTFWD_RELAY + options.proxyPort(),
                    "-device", "virtio-net-device,netdev=n0"));
        }
        String control = run.qemuControlSocket().toString();
        String chardev = "socket,id=ctl,path=" + qemuPath(control)
                + (mode == ControlChannelMode.CLIENT ? ",reconnect=1" : ",server=on,wait=off");
        a.addAll(List.of(
                "-chardev", chardev,
                "-device", "virtio-serial-device",
                "-device", "virtserialport,chardev=ctl,name=" + CONTROL_PORT_NAME));
        String qmp = run.qemuQmpSocket().toString();
        a.addAll(List.of("-qmp", "unix:" + qemuPath(qmp) + ",server=on,wait=off"));
        return new QemuSpec(a, accel, control, qmp);
    }

    /** QEMU option values separate fields with ','; a literal comma is written twice. */
    static String qemuPath(String path) {
        return path.replace(",", ",,");
    }
}
