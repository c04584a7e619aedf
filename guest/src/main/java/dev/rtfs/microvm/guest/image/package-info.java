/**
 * The guest image's parts: the kernel ({@link dev.rtfs.microvm.guest.image.GuestKernel}: the newest Debian cloud
 * kernel, its release read from the bzImage by {@link dev.rtfs.microvm.guest.image.BzImage}), the modules the guest
 * needs from it ({@link dev.rtfs.microvm.guest.image.GuestKernelNeeds}, resolved through modules.dep by
 * {@link dev.rtfs.microvm.guest.image.ModuleDependencies} into {@link dev.rtfs.microvm.guest.image.GuestModules},
 * unpacked by {@link dev.rtfs.microvm.guest.image.KernelModules}), the deterministic initramfs
 * ({@link dev.rtfs.microvm.guest.image.GuestInitramfs} over {@link dev.rtfs.microvm.guest.image.InitramfsBuilder};
 * {@link dev.rtfs.microvm.guest.image.KvmProbeInitramfs} for vmm's KVM probe), the pinned Debian package versions
 * ({@link dev.rtfs.microvm.guest.image.DebianVersions}) and {@code image.lock}
 * ({@link dev.rtfs.microvm.guest.image.ImageLock}: read, written, versioned here; handed to vmm's attestation as
 * {@code ExpectedHashes}).
 */
package dev.rtfs.microvm.guest.image;
