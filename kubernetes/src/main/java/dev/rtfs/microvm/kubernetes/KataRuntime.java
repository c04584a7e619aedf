package dev.rtfs.microvm.kubernetes;

import java.util.Arrays;
import java.util.Optional;

/**
 * The two Kata RuntimeClasses kata-deploy installs: the handler name, kata-deploy's shim name (which names the
 * configuration file and its drop-in directory), the hypervisor section of its configuration TOML, and the pod
 * overhead its RuntimeClass declares (the VMM and kata-agent outside the VM's own memory). The overheads are those of
 * kata-deploy's Helm chart ({@code templates/runtimeclasses.yaml}): QEMU's grew from 160Mi to 320Mi there because
 * the VMM runs inside the pod cgroup, where 160Mi let it be OOM-killed; the module README cites the sources.
 *
 * @param hotplug false for Firecracker: the VM is sized once at boot from the pod's limits
 */
public enum KataRuntime {
    KATA_FC("kata-fc", "fc", "firecracker", false, "250m", "130Mi"),
    KATA_QEMU("kata-qemu", "qemu", "qemu", true, "250m", "320Mi");

    /** Where kata-deploy installs the Go runtime's configurations (its per-shim copies live under runtimes/). */
    private static final String KATA_DEPLOY_DEFAULTS = "/opt/kata/share/defaults/kata-containers";

    private final String handler;
    private final String shim;
    private final String hypervisor;
    private final boolean hotplug;
    private final String overheadCpu;
    private final String overheadMemory;

    KataRuntime(String handler, String shim, String hypervisor, boolean hotplug, String overheadCpu,
                String overheadMemory) {
        this.handler = handler;
        this.shim = shim;
        this.hypervisor = hypervisor;
        this.hotplug = hotplug;
        this.overheadCpu = overheadCpu;
        this.overheadMemory = overheadMemory;
    }

    /** The RuntimeClass name and containerd handler, e.g. {@code kata-fc}. */
    public String handler() { return handler; }

    /** kata-deploy's shim name, e.g. {@code fc}: the configuration is {@code configuration-<shim>.toml}. */
    public String shim() { return shim; }

    /**
     * The drop-in directory the runtime reads on a node set up by a recent kata-deploy: {@code config.d} beside the
     * per-shim copy of {@code configuration-<shim>.toml} (the original path is a symlink to it, and the runtime
     * resolves the symlink before looking for {@code config.d}).
     */
    public String dropInDirectory() { return KATA_DEPLOY_DEFAULTS + "/runtimes/" + shim + "/config.d"; }

    /** The {@code [hypervisor.<name>]} section of the Kata configuration. */
    public String hypervisor() { return hypervisor; }

    public boolean hotplug() { return hotplug; }

    public String overheadCpu() { return overheadCpu; }

    public String overheadMemory() { return overheadMemory; }

    public static Optional<KataRuntime> fromHandler(String name) {
        return Arrays.stream(values()).filter(r -> r.handler.equals(name)).findFirst();
    }
}
