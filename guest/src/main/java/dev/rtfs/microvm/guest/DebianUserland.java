package dev.rtfs.microvm.guest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Assembles the Debian userland into the rootfs tree: every package of the closure unpacked with
 * {@code dpkg-deb -x} (in name order; no maintainer script runs), documentation dropped, the CA bundle that
 * {@code update-ca-certificates} would have made (plus the {@code --ca-cert} anchors), the image's static busybox
 * with its applets at {@link #BUSYBOX_DIR} (the reference agent runs on it), and the mount points of the boot.
 */
final class DebianUserland {

    /** The private busybox and its applet links; first on the agent's PATH, so the agent behaves as before. */
    static final String BUSYBOX_DIR = "opt/rtfs/bin";
    /** The bundle curl and OpenSSL read on Debian. */
    static final String CA_BUNDLE = "etc/ssl/certs/ca-certificates.crt";
    /** Says that the rootfs is a userland to boot into (the /init checks it). */
    static final String MARKER = "etc/rtfs-userland";
    /** Paths only people read; dropped like Debian's minimal images drop them (dpkg path-exclude). */
    static final List<String> DROPPED = List.of("usr/share/doc", "usr/share/man", "usr/share/info",
            "usr/share/locale", "usr/share/lintian", "usr/share/bug", "usr/share/bash-completion");
    /** Mount points: pseudo filesystems, tmpfs (run, tmp), the agent and capabilities, the rootfs seen at /mnt/root. */
    static final List<String> MOUNT_POINTS = List.of("proc", "sys", "dev", "run", "tmp", "agent", "mnt/root");

    private final ImageTools tools;

    DebianUserland(ImageTools tools) {
        this.tools = tools;
    }

    void assemble(Path tree, List<DebPackage> packages, Path busybox, List<Path> caCerts)
            throws IOException, ImageBuildException {
        Path dpkgDeb = tools.locate("dpkg-deb")
                .orElseThrow(() -> ImageBuildException.missing("dpkg-deb is not installed", "dpkg"));
        Files.createDirectories(tree);
        for (DebPackage p : packages.stream().sorted(Comparator.comparing(DebPackage::name)).toList()) {
            ImageTools.Result r = tools.run(List.of(dpkgDeb.toString(), "-x", p.file().toString(), tree.toString()),
                    Map.of());
            if (!r.ok()) {
                throw new ImageBuildException(p.file() + ": cannot unpack " + p.pinned() + " (dpkg-deb: "
                        + r.stderr().strip().lines().findFirst().orElse("exit " + r.exit()) + ")");
            }
        }
        for (String d : DROPPED) delete(tree.resolve(d));
        caBundle(tree, caCerts);
        shell(tree);
        busybox(tree, busybox);
        for (String m : MOUNT_POINTS) {
            Path dir = tree.resolve(m);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                delete(dir);
                Files.createDirectories(dir);
            }
        }
        Files.writeString(tree.resolve(MARKER), packages.stream().map(DebPackage::pinned).sorted()
                .reduce("", (a, b) -> a + b + "\n"), StandardCharsets.UTF_8);
    }

    /**
     * {@code update-ca-certificates} with every certificate of the package enabled: the {@code .crt} files under
     * /usr/share/ca-certificates in sorted path order, then each {@code --ca-cert} file (checked to be PEM X.509).
     */
    static void caBundle(Path tree, List<Path> extra) throws IOException, ImageBuildException {
        StringBuilder bundle = new StringBuilder();
        Path shared = tree.resolve("usr/share/ca-certificates");
        if (Files.isDirectory(shared)) {
            try (Stream<Path> all = Files.walk(shared)) {
                for (Path crt : all.filter(p -> p.toString().endsWith(".crt") && Files.isRegularFile(p))
                        .sorted(Comparator.comparing(p -> shared.relativize(p).toString())).toList()) {
                    appendPem(bundle, Files.readString(crt, StandardCharsets.US_ASCII));
                }
            }
        }
        for (Path anchor : extra) appendPem(bundle, checkedAnchor(anchor));
        Path out = tree.resolve(CA_BUNDLE);
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        Files.writeString(out, bundle, StandardCharsets.US_ASCII);
    }

    /** A {@code --ca-cert} file's text, when it holds at least one PEM X.509 certificate and nothing else. */
    static String checkedAnchor(Path file) throws ImageBuildException {
        byte[] bytes;
        try {
            if (Files.size(file) > (1 << 20)) throw new ImageBuildException("--ca-cert " + file + ": larger than 1 MiB");
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageBuildException("--ca-cert " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new ImageBuildException("--ca-cert " + file + ": not a PEM certificate (no BEGIN CERTIFICATE line)");
        }
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new ImageBuildException("--ca-cert " + file + ": no certificate in it");
            }
        } catch (CertificateException | IOException e) {
            throw new ImageBuildException("--ca-cert " + file + ": not a valid X.509 certificate (" + e.getMessage() + ")");
        }
        return text;
    }

    private static void appendPem(StringBuilder bundle, String pem) {
        bundle.append(pem);
        if (!pem.endsWith("\n")) bundle.append('\n');
    }

    /** dash's postinst makes /bin/sh point at dash; no maintainer script runs here, so the build does it. */
    private static void shell(Path tree) throws IOException {
        Path sh = tree.resolve("bin/sh");
        if (Files.exists(sh, LinkOption.NOFOLLOW_LINKS)) return;
        if (Files.isRegularFile(tree.resolve("bin/dash"))) Files.createSymbolicLink(sh, Path.of("dash"));
        else if (Files.isRegularFile(tree.resolve("bin/bash"))) Files.createSymbolicLink(sh, Path.of("bash"));
    }

    /** The image's busybox at {@link #BUSYBOX_DIR}/busybox and a relative link per applet it lists. */
    private void busybox(Path tree, Path busybox) throws IOException, ImageBuildException {
        Path dir = tree.resolve(BUSYBOX_DIR);
        Files.createDirectories(dir);
        Files.copy(busybox, dir.resolve("busybox"));
        dir.resolve("busybox").toFile().setExecutable(true, false);
        ImageTools.Result list = tools.run(List.of(busybox.toString(), "--list"), Map.of());
        if (!list.ok()) throw new ImageBuildException(busybox + " --list failed (exit " + list.exit() + ")");
        for (String applet : list.stdout().lines().map(String::strip).filter(a -> a.matches("[A-Za-z0-9._\\[-]+"))
                .filter(a -> !a.equals("busybox")).sorted().toList()) {
            Files.createSymbolicLink(dir.resolve(applet), Path.of("busybox"));
        }
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
