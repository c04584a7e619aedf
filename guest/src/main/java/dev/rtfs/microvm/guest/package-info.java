/**
 * Everything about the guest image: which kernel and modules it boots
 * ({@link dev.rtfs.microvm.guest.image}), the reproducible image build that packs them with the reference agent into
 * an initramfs next to a read-only ext4 rootfs, a read-only capability store and an {@code image.lock}
 * ({@link dev.rtfs.microvm.guest.ImageBuilder}, {@link dev.rtfs.microvm.guest.ImageLayout}), and the reference guest
 * agent itself, a busybox sh script that speaks the control protocol (control-plane/PROTOCOL.md) over the
 * virtio-serial port ({@link dev.rtfs.microvm.guest.ReferenceAgent}). vmm synthesizes the VM spec and attests the
 * artifacts against the hashes this module reads from image.lock; it never builds an image. See guest/IMAGE.md.
 */
package dev.rtfs.microvm.guest;
