package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.ValidatedConfig;

/** Lets tests in sub-packages build configs with {@link TestConfigs}. */
public final class VmmTestAccess {
    private VmmTestAccess() {}

    /** The example config (NIC on, no capabilities mount) with the given kernel, rootfs and cmdline. */
    public static ValidatedConfig config(String kernel, String rootfs, String cmdline) {
        TestConfigs c = TestConfigs.example();
        c.kernelImage = kernel;
        c.rootfsImage = rootfs;
        c.cmdline = cmdline;
        c.capsMount = null;
        return c.build();
    }
}
