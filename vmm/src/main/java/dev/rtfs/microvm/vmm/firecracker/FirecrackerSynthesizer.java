package dev.rtfs.microvm.vmm.firecracker;

import dev.rtfs.microvm.vmm.DeviceNames;
import dev.rtfs.microvm.vmm.KernelCmdline;
import dev.rtfs.microvm.vmm.RunDirLayout;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.VmBlueprint;
import dev.rtfs.microvm.vmm.VmmJson;
import dev.rtfs.microvm.vmm.api.ApiCall;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Pure: a {@link VmBlueprint} plus host options to a {@link FirecrackerSpec}. */
public final class FirecrackerSynthesizer {

    public static final String ROOT_DRIVE_ID = "rootfs";
    public static final String CAPABILITIES_DRIVE_ID = "capabilities";
    /** The run's read-only config disk ({@link SynthOptions#runConfigDisk}), always the last drive. */
    public static final String RUN_CONFIG_DRIVE_ID = "run_config";
    public static final String IFACE_ID = "eth0";

    private FirecrackerSynthesizer() {}

    /**
     * Boot args: the config's cmdline without {@code root=} (Firecracker appends {@code root=/dev/vda ro} from
     * the root drive itself), plus what the profile needs when not set: {@code reboot=k} so a guest reboot ends
     * the VM, {@code panic=1}, {@code pci=off} (Firecracker has no PCI bus), and the guest-log console
     * ({@link KernelCmdline#withGuestLog}: Firecracker writes the guest's serial port to its stdout).
     */
    public static String bootArgs(VmBlueprint vm) {
        return KernelCmdline.parse(vm.kernelCmdline()).without("root")
                .withDefaults("reboot=k", "panic=1", "pci=off").withGuestLog().toString();
    }

    public static FirecrackerSpec synthesize(VmBlueprint vm, SynthOptions options) {
        RunDirLayout run = new RunDirLayout(options.runDir());
        BootSource boot = new BootSource(options.resolve(vm.kernelImage()), bootArgs(vm),
                options.initrd().map(Object::toString).orElse(null));

        List<Drive> drives = new ArrayList<>();
        drives.add(Drive.readOnly(ROOT_DRIVE_ID, options.resolve(vm.rootfsImage()), true));
        if (vm.capabilitiesMount()) {
            drives.add(Drive.readOnly(CAPABILITIES_DRIVE_ID, capabilitiesImage(vm, options), false));
        }
        options.runConfigDisk().ifPresent(d -> drives.add(Drive.readOnly(RUN_CONFIG_DRIVE_ID, d.toString(), false)));
        List<NetworkInterface> nics = vm.nic().isPresent()
                ? List.of(NetworkInterface.of(IFACE_ID, DeviceNames.tapName(vm.agentId()),
                        DeviceNames.guestMac(vm.agentId())))
                : List.of();
        FirecrackerVsock vsock = vm.vsockCid().isPresent()
                ? FirecrackerVsock.of(vm.vsockCid().getAsLong(), run.vsockSocket().toString())
                : null;
        FirecrackerConfig config = FirecrackerConfig.of(boot, drives, MachineConfig.of(vm.vcpus(), vm.memMb()),
                nics, vsock, FirecrackerLogger.of(run.firecrackerLog().toString(), "Info"),
                new FirecrackerMetrics(run.firecrackerMetrics().toString()));
        String apiSocket = run.firecrackerApiSocket().toString();
        String configFile = run.firecrackerConfigFile().toString();
        // Integration point: the supervisor removes a stale API/vsock socket file first (Firecracker refuses to
        // start on one), writes the config to configFile and runs configFileArgv -- or runs firecracker with only
        // --api-sock and sends apiCalls().
        List<String> direct = List.of(options.binaries().firecracker(), "--api-sock", apiSocket,
                "--config-file", configFile);
        return new FirecrackerSpec(config, apiCalls(config), jailerArgv(vm, options, run), apiSocket,
                configFile, direct, jailedApiSocket(vm, options, run));
    }

    /**
     * The jailer chroots to {@code <chroot-base>/<exec-file name>/<id>/root}; the API socket is created there, and
     * the host connects to it by that path, so the id is cut to keep it within the 107-byte socket limit.
     */
    public static String jailedApiSocket(VmBlueprint vm, SynthOptions options, RunDirLayout run) {
        return jailedPrefix(options) + jailerId(vm, options, run) + jailedSuffix(run);
    }

    /** The jailer {@code --id} of this VM: derived from the agent id, short enough for {@link #jailedApiSocket}. */
    public static String jailerId(VmBlueprint vm, SynthOptions options, RunDirLayout run) {
        int fixed = (jailedPrefix(options) + jailedSuffix(run)).getBytes(StandardCharsets.UTF_8).length;
        return DeviceNames.jailerId(vm.agentId(), RunDirLayout.MAX_SOCKET_PATH_BYTES - fixed);
    }

    private static String jailedPrefix(SynthOptions options) {
        String exec = options.binaries().firecracker();
        return options.jailer().chrootBaseDir() + "/" + exec.substring(exec.lastIndexOf('/') + 1) + "/";
    }

    private static String jailedSuffix(RunDirLayout run) {
        return "/root/" + run.firecrackerApiSocket().getFileName();
    }

    /**
     * The guest's name of the run config disk: every target attaches the rootfs, the capability store (when
     * mounted) and then the run config disk, in that order, as virtio-blk devices, so it is vdb or vdc.
     */
    public static String runConfigDevice(VmBlueprint vm) {
        return vm.capabilitiesMount() ? "vdc" : "vdb";
    }

    /** The capability store drive: the explicit option, else {@code capabilities.img} next to the rootfs. */
    public static String capabilitiesImage(VmBlueprint vm, SynthOptions options) {
        return options.capabilitiesImage().map(Object::toString).orElseGet(() -> {
            String rootfs = options.resolve(vm.rootfsImage());
            int slash = rootfs.lastIndexOf('/');
            return (slash < 0 ? "" : rootfs.substring(0, slash + 1)) + "capabilities.img";
        });
    }

    /**
     * The API-socket equivalent of the config file. Integration point: the supervisor sends these, in order,
     * over HTTP/1.1 on the Unix socket {@code --api-sock} (see {@code dev.rtfs.microvm.vmm.api.UnixSocketHttpClient});
     * each must answer 204, any other status aborts the launch with Firecracker's {@code fault_message}.
     */
    public static List<ApiCall> apiCalls(FirecrackerConfig config) {
        List<ApiCall> calls = new ArrayList<>();
        if (config.machineConfig() != null) calls.add(ApiCall.put("/machine-config", VmmJson.tree(config.machineConfig())));
        calls.add(ApiCall.put("/boot-source", VmmJson.tree(config.bootSource())));
        for (Drive d : config.drives()) {
            calls.add(ApiCall.put("/drives/" + d.driveId(), VmmJson.tree(d)));
        }
        if (config.networkInterfaces() != null) {
            for (NetworkInterface n : config.networkInterfaces()) {
                calls.add(ApiCall.put("/network-interfaces/" + n.ifaceId(), VmmJson.tree(n)));
            }
        }
        if (config.vsock() != null) calls.add(ApiCall.put("/vsock", VmmJson.tree(config.vsock())));
        if (config.logger() != null) calls.add(ApiCall.put("/logger", VmmJson.tree(config.logger())));
        if (config.metrics() != null) calls.add(ApiCall.put("/metrics", VmmJson.tree(config.metrics())));
        ObjectNode start = JsonNodeFactory.instance.objectNode().put("action_type", "InstanceStart");
        calls.add(ApiCall.put("/actions", start));
        return calls;
    }

    /**
     * Jailer argv. {@code --netns} puts the VM (and so its tap) in the egress proxy's namespace: the guest's
     * only way out is the proxy. Integration point: the supervisor stages kernel and images into the chroot
     * ({@code <chroot-base>/firecracker/<id>/root}) and then configures the VM over the API socket, whose path
     * is relative to that chroot.
     */
    public static List<String> jailerArgv(VmBlueprint vm, SynthOptions options, RunDirLayout run) {
        List<String> argv = new ArrayList<>(List.of(
                options.binaries().jailer(),
                "--id", jailerId(vm, options, run),
                "--exec-file", options.binaries().firecracker(),
                "--uid", Integer.toString(options.jailer().uid()),
                "--gid", Integer.toString(options.jailer().gid()),
                "--chroot-base-dir", options.jailer().chrootBaseDir()));
        vm.nic().filter(n -> !n.proxyNs().isEmpty())
                .ifPresent(n -> argv.addAll(List.of("--netns", "/var/run/netns/" + n.proxyNs())));
        argv.addAll(List.of("--", "--api-sock", run.firecrackerApiSocket().getFileName().toString()));
        return argv;
    }
}
