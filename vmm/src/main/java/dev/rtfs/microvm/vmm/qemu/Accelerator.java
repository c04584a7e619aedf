package dev.rtfs.microvm.vmm.qemu;

/** QEMU accelerator: {@code -accel kvm} or {@code -accel tcg}. */
public enum Accelerator {
    KVM, TCG;

    public String qemuName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
