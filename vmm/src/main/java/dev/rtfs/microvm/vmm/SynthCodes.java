package dev.rtfs.microvm.vmm;

/** Diagnostic codes raised by spec synthesis and deploy checks (stable: users script against them). */
public final class SynthCodes {
    /**
     * Deploy: no expected hash for a boot artifact: the rootfs has none from the config, {@code --expect-rootfs-hash}
     * or image.lock; the kernel, initramfs or capability store is not in image.lock (or there is no image.lock).
     */
    public static final String ATTESTATION_UNRESOLVED = "ATTESTATION_UNRESOLVED";
    /** Deploy: the expected rootfs hash differs from the measured sha256 of the image. */
    public static final String ATTESTATION_MISMATCH = "ATTESTATION_MISMATCH";
    /** Deploy: the kernel's sha256 differs from the one image.lock records. */
    public static final String ATTESTATION_KERNEL_MISMATCH = "ATTESTATION_KERNEL_MISMATCH";
    /** Deploy: the initramfs's sha256 (it holds /init and the agent) differs from the one image.lock records. */
    public static final String ATTESTATION_INITRAMFS_MISMATCH = "ATTESTATION_INITRAMFS_MISMATCH";
    /** Deploy: the capability store's sha256 differs from the one image.lock records. */
    public static final String ATTESTATION_CAPABILITIES_MISMATCH = "ATTESTATION_CAPABILITIES_MISMATCH";
    /** Deploy: a boot artifact (kernel, initramfs, rootfs, capability store) cannot be read, so it cannot be measured. */
    public static final String ATTESTATION_IMAGE_UNREADABLE = "ATTESTATION_IMAGE_UNREADABLE";
    /** An override hash (--expect-rootfs-hash) is not {@code sha256:} + 64 lowercase hex. */
    public static final String ATTESTATION_HASH_FORMAT = "ATTESTATION_HASH_FORMAT";
    /** A Unix socket path in the run dir would exceed 107 bytes (sun_path). */
    public static final String SYNTH_SOCKET_PATH_TOO_LONG = "SYNTH_SOCKET_PATH_TOO_LONG";
    /** The run dir is not an absolute path. */
    public static final String SYNTH_RUN_DIR = "SYNTH_RUN_DIR";
    /** {@code root=} in {@code :kernel.cmdline} was dropped: the hypervisor profile decides the root device. */
    public static final String SYNTH_CMDLINE_ROOT = "SYNTH_CMDLINE_ROOT";
    /** QEMU without an initramfs: the guest kernel must have virtio-mmio and virtio-blk built in. */
    public static final String SYNTH_QEMU_NO_INITRD = "SYNTH_QEMU_NO_INITRD";
    /** {@code :microvm.devices.nic.proxy_ns} is not a plain network namespace name (it becomes a path and an argv word). */
    public static final String SYNTH_PROXY_NS = "SYNTH_PROXY_NS";
    /** A path the target's option syntax cannot carry (Cloud Hypervisor splits option values on ','). */
    public static final String SYNTH_PATH_UNSAFE = "SYNTH_PATH_UNSAFE";
    /** The config passed validation but lacks what synthesis needs (defensive; validation should catch it). */
    public static final String SYNTH_INCOMPLETE = "SYNTH_INCOMPLETE";

    private SynthCodes() {}
}
