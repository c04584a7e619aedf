package dev.rtfs.microvm.vmm;

import java.util.Objects;

/** The jailer's unprivileged identity and chroot base (Firecracker's default base is /srv/jailer). */
public record JailerOptions(int uid, int gid, String chrootBaseDir) {

    public static final JailerOptions DEFAULT = new JailerOptions(65534, 65534, "/srv/jailer");

    public JailerOptions {
        Objects.requireNonNull(chrootBaseDir);
    }
}
