package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.diag.DiagnosticCode;

/** Diagnostic codes raised by spec synthesis and deploy checks (stable: users script against them). */
public enum SynthCode implements DiagnosticCode {
    /**
     * Deploy: no expected hash for a boot artifact: the rootfs has none from the config, {@code --expect-rootfs-hash}
     * or image.lock; the kernel, initramfs or capability store is not in image.lock (or there is no image.lock).
     */
    ATTESTATION_UNRESOLVED,
    /** Deploy: the expected rootfs hash differs from the measured sha256 of the image. */
    ATTESTATION_MISMATCH,
    /** Deploy: the kernel's sha256 differs from the one image.lock records. */
    ATTESTATION_KERNEL_MISMATCH,
    /** Deploy: the initramfs's sha256 (it holds /init and the agent) differs from the one image.lock records. */
    ATTESTATION_INITRAMFS_MISMATCH,
    /** Deploy: the capability store's sha256 differs from the one image.lock records. */
    ATTESTATION_CAPABILITIES_MISMATCH,
    /** Deploy: a boot artifact (kernel, initramfs, rootfs, capability store) cannot be read, so it cannot be measured. */
    ATTESTATION_IMAGE_UNREADABLE,
    /** An override hash (--expect-rootfs-hash) is not {@code sha256:} + 64 lowercase hex. */
    ATTESTATION_HASH_FORMAT,
    /** A Unix socket path in the run dir would exceed 107 bytes (sun_path). */
    SYNTH_SOCKET_PATH_TOO_LONG,
    /** The run dir is not an absolute path. */
    SYNTH_RUN_DIR,
    /** {@code root=} in {@code :kernel.cmdline} was dropped: the hypervisor profile decides the root device. */
    SYNTH_CMDLINE_ROOT,
    /** QEMU without an initramfs: the guest kernel must have virtio-mmio and virtio-blk built in. */
    SYNTH_QEMU_NO_INITRD,
    /** {@code :microvm.devices.nic.proxy_ns} is not a plain network namespace name (it becomes a path and an argv word). */
    SYNTH_PROXY_NS,
    /** A path the target's option syntax cannot carry (Cloud Hypervisor splits option values on ','). */
    SYNTH_PATH_UNSAFE;

    @Override
    public String namespace() {
        return "synth";
    }
}
