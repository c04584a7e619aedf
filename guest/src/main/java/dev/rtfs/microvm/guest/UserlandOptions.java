package dev.rtfs.microvm.guest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Debian userland of the rootfs (guest/IMAGE.md, "Debian userland").
 *
 * @param packages what the user adds ({@code --package}) to {@link #DEFAULT_PACKAGES}
 * @param debDirs  where the {@code .deb} files are looked for, in order ({@code --debs}, else {@link #defaultDebDirs})
 * @param caCerts  PEM trust anchors appended to the CA bundle ({@code --ca-cert})
 */
public record UserlandOptions(List<String> packages, List<Path> debDirs, List<Path> caCerts) {

    /** A shell, coreutils, curl and the CA certificates. */
    public static final List<String> DEFAULT_PACKAGES = List.of("dash", "coreutils", "curl", "ca-certificates");

    /** Where apt keeps what it downloaded: searched after the rtfs-microvm deb directory. */
    public static final Path APT_ARCHIVES = Path.of("/var/cache/apt/archives");

    public UserlandOptions {
        packages = List.copyOf(packages);
        debDirs = List.copyOf(debDirs);
        caCerts = List.copyOf(caCerts);
        if (debDirs.isEmpty()) throw new IllegalArgumentException("no deb directory");
    }

    /** The default packages, the default deb directories, no extra anchors. */
    public static UserlandOptions defaults(Map<String, String> env) {
        return new UserlandOptions(List.of(), defaultDebDirs(env), List.of());
    }

    /**
     * {@code $RTFS_MICROVM_HOME/debs} when set, {@code ~/.cache/rtfs-microvm/debs}, then {@link #APT_ARCHIVES}. The
     * user's cache stays on the list under {@code RTFS_MICROVM_HOME}: the userland is the default image, so every
     * build (a test's too, whose home is its own) finds what {@code scripts/guest-debs} fetched once. Which
     * directory a {@code .deb} came from does not matter: it must be the host's installed version and its sha256
     * goes into image.lock.
     */
    public static List<Path> defaultDebDirs(Map<String, String> env) {
        String home = env.get("RTFS_MICROVM_HOME");
        Path cache = Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "rtfs-microvm", "debs");
        return home != null && !home.isBlank() ? List.of(Path.of(home, "debs"), cache, APT_ARCHIVES)
                : List.of(cache, APT_ARCHIVES);
    }

    /** The default set, then the user's packages, each once. */
    public List<String> roots() {
        List<String> all = new ArrayList<>(DEFAULT_PACKAGES);
        for (String p : packages) if (!all.contains(Objects.requireNonNull(p))) all.add(p);
        return all;
    }
}
