package dev.rtfs.microvm.vmm.cloudhypervisor;

import dev.rtfs.microvm.vmm.DeviceNames;
import dev.rtfs.microvm.vmm.KernelCmdline;
import dev.rtfs.microvm.vmm.RunDirLayout;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.VmBlueprint;
import dev.rtfs.microvm.vmm.VmmJson;
import dev.rtfs.microvm.vmm.api.ApiCall;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSynthesizer;
import java.util.ArrayList;
import java.util.List;

/** Pure: a {@link VmBlueprint} plus host options to a {@link CloudHypervisorSpec}. */
public final class CloudHypervisorSynthesizer {

    public static final String API_PREFIX = "/api/v1";

    private CloudHypervisorSynthesizer() {}

    /**
     * Cloud Hypervisor passes the cmdline through untouched, so the profile writes the read-only root itself
     * ({@code root=/dev/vda ro} first, replacing any {@code root=}/{@code ro}/{@code rw} in the config), and the
     * guest-log console ({@link KernelCmdline#withGuestLog}; {@code --serial tty} puts it on the VMM's stdout).
     */
    public static String cmdline(VmBlueprint vm) {
        return KernelCmdline.parse(vm.kernelCmdline()).without("rw")
                .withRequiredFirst("root=/dev/vda", "ro")
                .withDefaults("panic=1")
                .withGuestLog()
                .toString();
    }

    public static CloudHypervisorSpec synthesize(VmBlueprint vm, SynthOptions options) {
        RunDirLayout run = new RunDirLayout(options.runDir());
        String kernel = options.resolve(vm.kernelImage());
        String initramfs = options.initrd().map(Object::toString).orElse(null);
        String rootfs = options.resolve(vm.rootfsImage());

        List<DiskConfig> disks = new ArrayList<>();
        disks.add(new DiskConfig(rootfs, true, FirecrackerSynthesizer.ROOT_DRIVE_ID));
        if (vm.capabilitiesMount()) {
            disks.add(new DiskConfig(FirecrackerSynthesizer.capabilitiesImage(vm, options), true,
                    FirecrackerSynthesizer.CAPABILITIES_DRIVE_ID));
        }
        options.runConfigDisk().ifPresent(d -> disks.add(new DiskConfig(d.toString(), true,
                FirecrackerSynthesizer.RUN_CONFIG_DRIVE_ID)));
        String tap = DeviceNames.tapName(vm.agentId());
        String mac = DeviceNames.guestMac(vm.agentId());
        List<NetConfig> net = vm.nic().isPresent()
                ? List.of(new NetConfig(tap, mac, FirecrackerSynthesizer.IFACE_ID))
                : List.of();
        VsockConfig vsock = vm.vsockCid().isPresent()
                ? new VsockConfig(vm.vsockCid().getAsLong(), run.vsockSocket().toString())
                : null;
        VmConfig body = new VmConfig(
                new CpusConfig(vm.vcpus(), vm.vcpus()),
                MemoryConfig.ofMib(vm.memMb()),
                new PayloadConfig(kernel, cmdline(vm), initramfs),
                disks, net,
                ConsoleConfig.of(ConsoleConfig.Mode.Tty),
                ConsoleConfig.of(ConsoleConfig.Mode.Off),
                vsock);

        String apiSocket = run.cloudHypervisorApiSocket().toString();
        // Integration point: the supervisor starts launchArgv, waits for the API socket, then sends these two
        // requests over HTTP/1.1 on it (dev.rtfs.microvm.vmm.api.UnixSocketHttpClient); 204 expected for both.
        List<ApiCall> calls = List.of(
                ApiCall.put(API_PREFIX + "/vm.create", VmmJson.tree(body)),
                new ApiCall("PUT", API_PREFIX + "/vm.boot", null));

        List<String> launch = new ArrayList<>(netnsPrefix(vm));
        launch.addAll(List.of(options.binaries().cloudHypervisor(), "--api-socket", "path=" + apiSocket));

        List<String> cli = new ArrayList<>(launch);
        cli.addAll(List.of("--kernel", kernel));
        if (initramfs != null) cli.addAll(List.of("--initramfs", initramfs));
        cli.addAll(List.of("--cmdline", body.payload().cmdline(),
                "--cpus", "boot=" + vm.vcpus() + ",max=" + vm.vcpus(),
                "--memory", "size=" + vm.memMb() + "M",
                "--disk"));
        for (DiskConfig d : disks) {
            cli.add("path=" + d.path() + ",readonly=on,id=" + d.id());
        }
        for (NetConfig n : net) {
            cli.addAll(List.of("--net", "tap=" + n.tap() + ",mac=" + n.mac() + ",id=" + n.id()));
        }
        if (vsock != null) cli.addAll(List.of("--vsock", "cid=" + vsock.cid() + ",socket=" + vsock.socket()));
        cli.addAll(List.of("--serial", "tty", "--console", "off"));
        return new CloudHypervisorSpec(body, calls, launch, cli, apiSocket);
    }

    /** The tap lives in the egress proxy's namespace, so Cloud Hypervisor must open it from there. */
    private static List<String> netnsPrefix(VmBlueprint vm) {
        return vm.nic().filter(n -> !n.proxyNs().isEmpty())
                .map(n -> List.of("ip", "netns", "exec", n.proxyNs()))
                .orElse(List.of());
    }
}
