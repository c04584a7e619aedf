package dev.rtfs.microvm.vmm;

import java.util.Arrays;
import java.util.Optional;

/** What {@code synth --target} prints. */
public enum Target {
    /** Firecracker {@code --config-file} JSON. */
    FIRECRACKER("firecracker"),
    /** Firecracker API call sequence (and the jailer argv that starts the process). */
    FIRECRACKER_API("firecracker-api"),
    /** Cloud Hypervisor {@code vm.create} body. */
    CLOUD_HYPERVISOR("cloud-hypervisor"),
    /** Cloud Hypervisor command line. */
    CLOUD_HYPERVISOR_CLI("cloud-hypervisor-cli"),
    /** QEMU microvm command line. */
    QEMU("qemu");

    private final String cliName;

    Target(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Optional<Target> fromCliName(String name) {
        return Arrays.stream(values()).filter(t -> t.cliName.equals(name)).findFirst();
    }
}
