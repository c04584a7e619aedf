package dev.rtfs.microvm.kubernetes;

import java.util.Arrays;
import java.util.Optional;

/**
 * The two Kata RuntimeClasses kata-deploy installs: the handler name, the hypervisor section of its configuration
 * TOML, and the pod overhead its RuntimeClass declares (the VMM and kata-agent outside the VM's own memory).
 *
 * @param hotplug false for Firecracker: the VM is sized once at boot from the pod's limits
 */
public enum KataRuntime {
    KATA_FC("kata-fc", "firecracker", false, "250m", "130Mi"),
    KATA_QEMU("kata-qemu", "qemu", true, "250m", "160Mi");

    private final String handler;
    private final String hypervisor;
    private final boolean hotplug;
    private final String overheadCpu;
    private final String overheadMemory;

    KataRuntime(String handler, String hypervisor, boolean hotplug, String overheadCpu, String overheadMemory) {
        this.handler = handler;
        this.hypervisor = hypervisor;
        this.hotplug = hotplug;
        this.overheadCpu = overheadCpu;
        this.overheadMemory = overheadMemory;
    }

    /** The RuntimeClass name and containerd handler, e.g. {@code kata-fc}. */
    public String handler() { return handler; }

    /** The {@code [hypervisor.<name>]} section of the Kata configuration. */
    public String hypervisor() { return hypervisor; }

    public boolean hotplug() { return hotplug; }

    public String overheadCpu() { return overheadCpu; }

    public String overheadMemory() { return overheadMemory; }

    public static Optional<KataRuntime> fromHandler(String name) {
        return Arrays.stream(values()).filter(r -> r.handler.equals(name)).findFirst();
    }
}
