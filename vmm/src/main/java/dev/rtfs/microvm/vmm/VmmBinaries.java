package dev.rtfs.microvm.vmm;

import java.util.Objects;

/**
 * Paths (or PATH names) of the hypervisor executables written into argv. The jailer canonicalizes
 * {@code --exec-file}, so Firecracker's default is an absolute path (where its release binaries are usually
 * installed); the others are looked up on PATH.
 */
public record VmmBinaries(String firecracker, String jailer, String cloudHypervisor, String qemu) {

    /** The names as installed on PATH. */
    public static final VmmBinaries DEFAULT =
            new VmmBinaries("/usr/local/bin/firecracker", "/usr/local/bin/jailer", "cloud-hypervisor", "qemu-system-x86_64");

    public VmmBinaries {
        Objects.requireNonNull(firecracker);
        Objects.requireNonNull(jailer);
        Objects.requireNonNull(cloudHypervisor);
        Objects.requireNonNull(qemu);
    }
}
