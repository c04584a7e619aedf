package dev.rtfs.microvm.vmm.attest;

import dev.rtfs.microvm.vmm.SynthCode;

/**
 * The files a VM boots from, each measured before a deploy: the kernel and the initramfs are the first code the
 * guest runs (/init and the agent live in the initramfs), the rootfs and the capability store what it reads.
 *
 * @param label        how messages and the chain name it
 * @param mismatchCode the diagnostic code of a measurement that differs from its expectation
 * @param path         the config path the diagnostic points at ("" when the file does not come from the config)
 */
public enum BootArtifact {
    KERNEL("kernel", SynthCode.ATTESTATION_KERNEL_MISMATCH, "microvm.kernel.image"),
    INITRAMFS("initramfs", SynthCode.ATTESTATION_INITRAMFS_MISMATCH, ""),
    ROOTFS("rootfs", SynthCode.ATTESTATION_MISMATCH, "microvm.rootfs.image"),
    CAPABILITIES("capabilities", SynthCode.ATTESTATION_CAPABILITIES_MISMATCH, "orchestrator.isolation.fs.mounts.capabilities");

    private final String label;
    private final SynthCode mismatchCode;
    private final String path;

    BootArtifact(String label, SynthCode mismatchCode, String path) {
        this.label = label;
        this.mismatchCode = mismatchCode;
        this.path = path;
    }

    public String label() {
        return label;
    }

    public SynthCode mismatchCode() {
        return mismatchCode;
    }

    public String path() {
        return path;
    }
}
