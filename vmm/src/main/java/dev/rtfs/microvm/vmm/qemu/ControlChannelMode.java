package dev.rtfs.microvm.vmm.qemu;

/** Which end of the virtio-serial control socket listens. */
enum ControlChannelMode {
    /**
     * The host control plane listens and QEMU connects with {@code reconnect=1}: after a host restart QEMU
     * reconnects within about a second and guest writes block meanwhile, nothing is dropped.
     */
    CLIENT,
    /** QEMU listens ({@code server=on,wait=off}); the host connects when it is ready. */
    SERVER
}
