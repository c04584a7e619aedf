package dev.rtfs.microvm.vmm.qemu;

/**
 * Decides the accelerator. KVM may be chosen only when a guest was seen to actually run under it: on hosts
 * without nested virtualization {@code /dev/kvm} exists but KVM guests hang.
 */
@FunctionalInterface
public interface AcceleratorProbe {

    Accelerator probe();

    /** Always TCG: for templates and tests whose output must not depend on the host. */
    static AcceleratorProbe tcg() {
        return () -> Accelerator.TCG;
    }
}
