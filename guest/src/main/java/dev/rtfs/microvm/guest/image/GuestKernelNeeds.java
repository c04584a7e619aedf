package dev.rtfs.microvm.guest.image;

import java.util.Arrays;
import java.util.List;

/**
 * What a microvm guest needs from its kernel, by purpose — not a load order: which modules that takes
 * and in which order they load comes from the packed kernel's modules.dep ({@link ModuleDependencies}), so a
 * kernel update that moves a dependency cannot break the boot.
 */
public enum GuestKernelNeeds {
    /** The virtio-mmio transport: microvm's devices sit on it. */
    TRANSPORT("virtio_mmio"),
    /** The read-only root and capability store (/dev/vda, /dev/vdb). */
    BLOCK("virtio_blk"),
    /** The guest's NIC (the egress proxy path). */
    NIC("virtio_net"),
    /** virtio-serial: the control channel to the host. */
    SERIAL("virtio_console"),
    /** vsock over virtio. */
    VSOCK("vmw_vsock_virtio_transport"),
    /** The filesystem of the root and capability images (built into Debian's cloud kernel). */
    ROOT_FILESYSTEM("ext4");

    private final String module;

    GuestKernelNeeds(String module) {
        this.module = module;
    }

    public String module() {
        return module;
    }

    /** Every need's module, in declaration order: the roots of the guest's module closure. */
    public static List<String> roots() {
        return Arrays.stream(values()).map(GuestKernelNeeds::module).toList();
    }
}
