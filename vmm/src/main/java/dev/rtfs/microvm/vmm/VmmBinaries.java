package dev.rtfs.microvm.vmm;

import java.util.Objects;

/** Paths (or PATH names) of the hypervisor executables written into argv. */
public record VmmBinaries(String firecracker, String jailer, String cloudHypervisor, String qemu) {

    /** The names as installed on PATH. */
    public static final VmmBinaries DEFAULT =
            new VmmBinaries("firecracker", "jailer", "cloud-hypervisor", "qemu-system-x86_64");

    public VmmBinaries {
        Objects.requireNonNull(firecracker);
        Objects.requireNonNull(jailer);
        Objects.requireNonNull(cloudHypervisor);
        Objects.requireNonNull(qemu);
    }
}
