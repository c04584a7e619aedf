/**
 * The guest side of a MicroVM (DESIGN §10): the reference guest agent, a busybox sh script that speaks the control
 * protocol (control-plane/PROTOCOL.md) over the virtio-serial port, and the reproducible image build that packs it
 * with the kernel's virtio modules into an initramfs next to a read-only ext4 rootfs, a read-only capability store
 * and an {@code image.lock}.
 */
package dev.rtfs.microvm.guest;
