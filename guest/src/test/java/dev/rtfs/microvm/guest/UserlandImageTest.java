package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.guest.image.GuestKernel;
import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.guest.image.LockedPackage;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.SynthResult;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.attest.Sha256;
import dev.rtfs.microvm.vmm.qemu.Accelerator;
import dev.rtfs.microvm.vmm.qemu.BootOutcome;
import dev.rtfs.microvm.vmm.qemu.BootWatchdog;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian userland, built for real from the local debs (scripts/guest-debs fetches them; skipped locally
 * without them, failed under CI=true): two builds are byte-identical and their lock records every package, the
 * default image stays within 64 MiB, a --ca-cert anchor ends up in the CA bundle, the guest boots into the
 * read-only rootfs and curl loads there, and bad input fails before anything is written.
 */
class UserlandImageTest {

    private static final ImageTools TOOLS = ImageTools.system();
    private static final long MIB = 1 << 20;

    @TempDir static Path dir;
    private static ImageBuildResult first;
    private static ImageBuildResult second;
    private static Path anchor;
    private static UserlandOptions userland;

    @BeforeAll
    static void buildTheDefaultUserlandTwice() throws Exception {
        AgentPrerequisites.check();
        for (String tool : List.of("dpkg-deb", "dpkg-query")) {
            AgentPrerequisites.requireThat(TOOLS.locate(tool).isPresent(), tool + " is not installed (apt-get install dpkg)");
        }
        // Where scripts/guest-debs puts them without RTFS_MICROVM_HOME (surefire points that at target/test-home).
        userland = UserlandOptions.defaults(Map.of("HOME", System.getProperty("user.home")));
        anchor = testAnchor(dir.resolve("anchor"));
        UserlandOptions withAnchor = new UserlandOptions(List.of(), userland.debDirs(), List.of(anchor));
        try {
            ImageBuilder.system().resolveUserland(userland);
        } catch (ImageBuildException e) {
            AgentPrerequisites.requireThat(false, "the guest's debs are not fetched (run scripts/guest-debs): "
                    + e.getMessage());
        }
        List<String> progress = new ArrayList<>();
        first = ImageBuilder.system().build(ImageBuildOptions.defaults(dir.resolve("a")).withUserland(withAnchor),
                progress::add);
        Thread.sleep(Math.max(0, 1100 - first.elapsed().toMillis())); // another wall-clock second
        second = ImageBuilder.system().build(ImageBuildOptions.defaults(dir.resolve("b")).withUserland(withAnchor),
                s -> { });
        System.out.println("userland image build: " + first.elapsed().toMillis() + " ms; " + progress + "; "
                + first.artifacts().stream().map(a -> a.name() + "=" + a.size()).toList());
    }

    /** A self-signed PEM certificate made with the JDK's keytool. */
    private static Path testAnchor(Path work) throws Exception {
        Files.createDirectories(work);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = work.resolve("ks.p12");
        Path pem = work.resolve("test-ca.pem");
        run(keytool.toString(), "-genkeypair", "-keystore", store.toString(), "-storepass", "changeit", "-alias", "ca",
                "-keyalg", "EC", "-dname", "CN=rtfs userland test anchor", "-validity", "2");
        run(keytool.toString(), "-exportcert", "-rfc", "-keystore", store.toString(), "-storepass", "changeit",
                "-alias", "ca", "-file", pem.toString());
        return pem;
    }

    private static String run(String... argv) throws Exception {
        ImageTools.Result r = TOOLS.run(List.of(argv), Map.of());
        assertThat(r.ok()).as("%s: %s", argv[0], r.stderr()).isTrue();
        return r.stdout();
    }

    @Test
    void twoUserlandBuildsASecondApartAreByteIdentical() throws Exception {
        assertThat(first.artifacts()).hasSize(4);
        for (int i = 0; i < first.artifacts().size(); i++) {
            ImageArtifact a = first.artifacts().get(i);
            ImageArtifact b = second.artifacts().get(i);
            assertThat(b.sha256()).as(a.name()).isEqualTo(a.sha256());
            assertThat(Files.mismatch(a.path(), b.path())).as(a.name()).isEqualTo(-1L);
        }
        assertThat(Files.readString(first.layout().lock())).isEqualTo(Files.readString(second.layout().lock()));
    }

    @Test
    void theLockRecordsEveryPackageWithItsVersionArchitectureAndDebHash() throws Exception {
        ImageLock lock = ImageLock.besides(first.layout().rootfs()).orElseThrow();
        assertThat(lock.version()).isEqualTo(3);
        List<LockedPackage> packages = lock.userlandPackages();
        assertThat(packages).extracting(LockedPackage::name)
                .contains("dash", "coreutils", "curl", "ca-certificates", "libc6", "libcurl4", "libssl3")
                .doesNotContainAnyElementsOf(DebClosure.EXCLUDED.keySet())
                .isSorted();
        LocalDebs debs = LocalDebs.open(TOOLS, userland.debDirs());
        for (LockedPackage p : packages) {
            assertThat(p.version()).as(p.name()).isEqualTo(debs.hostVersion(p.name()).orElseThrow());
            DebPackage deb = debs.load(p.name()).orElseThrow();
            assertThat(p.sha256()).as(p.name()).isEqualTo(Sha256.ofFile(deb.file())).isEqualTo(deb.sha256());
            assertThat(p.architecture()).isIn("amd64", "all");
        }
    }

    @Test
    void theDefaultImageIsAtMost64MiB() throws Exception {
        long total = 0;
        for (ImageArtifact a : first.artifacts()) {
            if (!a.name().equals("vmlinuz-min")) total += a.size();
        }
        System.out.println("userland image (initramfs + rootfs + capabilities): " + total + " bytes");
        assertThat(total).isLessThanOrEqualTo(64 * MIB);
    }

    @Test
    void theCaBundleHoldsTheDebianAnchorsAndEndsWithTheCaCertAnchor() throws Exception {
        String bundle = run(TOOLS.locate("debugfs").orElseThrow().toString(), "-R",
                "cat /" + DebianUserland.CA_BUNDLE, first.layout().rootfs().toString());
        String pem = Files.readString(anchor, StandardCharsets.US_ASCII);
        assertThat(bundle).endsWith(pem.endsWith("\n") ? pem : pem + "\n");
        assertThat(bundle.split("-----BEGIN CERTIFICATE-----", -1).length - 1).isGreaterThan(100);
    }

    @Test
    void theGuestBootsIntoTheReadOnlyDebianRootfsAndCurlLoadsThere() throws Exception {
        GuestKernel kernel = GuestKernel.newestIn(Path.of("/boot")).orElseThrow();
        GuestInitramfs guest = new GuestInitramfs(GuestInitramfs.DEBIAN_BUSYBOX,
                dev.rtfs.microvm.guest.image.GuestModules.forMicrovm(kernel.modulesDir(Path.of("/lib/modules")),
                        kernel.release()));
        // The real switch, with the checks in place of the agent.
        String checks = """
                chroot $R /bin/sh -c 'echo "SHELL-OK $0"'
                echo "CURL: $(chroot $R /usr/bin/curl -sS --version | head -n 1)"
                if chroot $R /opt/rtfs/bin/touch /etc/written 2>/dev/null; then echo ROOT-IS-WRITABLE; else echo ROOT-IS-READ-ONLY; fi
                chroot $R /opt/rtfs/bin/mkdir -p /tmp/agent/steps/1 && echo TMP-IS-WRITABLE
                chroot $R /opt/rtfs/bin/cat /mnt/root/etc/rtfs-release
                chroot $R /opt/rtfs/bin/busybox su -m -s /bin/sh nobody -c 'echo "NOBODY-UID $(/opt/rtfs/bin/id -u)"; if /opt/rtfs/bin/touch /tmp/by-nobody 2>/dev/null; then echo NOBODY-WRITES-TMP; else echo NOBODY-CANNOT-WRITE-TMP; fi'
                echo USERLAND-CHECKS-DONE
                """;
        String agentLine = "PATH=/opt/rtfs/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin chroot $R /opt/rtfs/bin/sh /agent/agent.sh\n";
        assertThat(ReferenceAgent.USERLAND_SWITCH).contains(agentLine);
        String init = guest.preamble() + ReferenceAgent.USERLAND_SWITCH.replace(agentLine, checks) + "echo NO-USERLAND\npoweroff -f\n";
        Path initrd = dir.resolve("check.cpio");
        try (OutputStream o = Files.newOutputStream(initrd)) {
            guest.write(init, Map.of(), o);
        }
        try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path run = Files.createDirectories(dir.resolve("run"));
            SynthOptions options = SynthOptions.defaults(run).withInitrd(initrd).withProxyPort(proxy.getLocalPort());
            QemuSpec spec = synthesize(first.layout().kernel(), first.layout().rootfs(), options);
            BootOutcome outcome = new BootWatchdog(Duration.ofSeconds(120), 2).boot(spec.argv(), "USERLAND-CHECKS-DONE");
            assertThat(outcome.succeeded()).as("boot; console:%n%s", outcome.console()).isTrue();
            System.out.println("userland check boot: " + outcome.elapsed().toMillis() + " ms");
            assertThat(outcome.console()).contains("SHELL-OK /bin/sh").contains("CURL: curl 7.")
                    .contains("ROOT-IS-READ-ONLY").doesNotContain("ROOT-IS-WRITABLE").contains("TMP-IS-WRITABLE")
                    .contains(ImageBuildOptions.DEFAULT_RELEASE).doesNotContain("NO-USERLAND")
                    .as("user capabilities run as nobody, who cannot write /tmp (only its step workdir)")
                    .contains("NOBODY-UID 65534").contains("NOBODY-CANNOT-WRITE-TMP").doesNotContain("NOBODY-WRITES-TMP");
        }
    }

    @Test
    void aPackageThatDoesNotExistLocallyFailsNamingItAndHowToFetchItAndWritesNothing() {
        Path out = dir.resolve("missing");
        UserlandOptions bad = new UserlandOptions(List.of("no-such-package-rtfs"), userland.debDirs(), List.of());
        assertThatThrownBy(() -> ImageBuilder.system().build(ImageBuildOptions.defaults(out).withUserland(bad), s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("package no-such-package-rtfs has no local .deb")
                .hasMessageContaining("apt-get install no-such-package-rtfs && scripts/guest-debs no-such-package-rtfs");
        assertThat(out).doesNotExist();
    }

    @Test
    void aMissingDebOfAnInstalledPackageNamesTheVersionAndTheDownloadCommand() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-debs"));
        UserlandOptions none = new UserlandOptions(List.of(), List.of(empty), List.of());
        String version = LocalDebs.open(TOOLS, List.of(empty)).hostVersion("dash").orElseThrow();
        Path out = dir.resolve("no-debs-out");
        assertThatThrownBy(() -> ImageBuilder.system().build(ImageBuildOptions.defaults(out).withUserland(none), s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("package dash " + version + " has no local .deb")
                .hasMessageContaining("apt-get download dash=" + version);
        assertThat(out).doesNotExist();
    }

    @Test
    void aCorruptDebFailsNamingTheFileAndWritesNothing() throws Exception {
        Path debs = Files.createDirectories(dir.resolve("corrupt-debs"));
        LocalDebs host = LocalDebs.open(TOOLS, userland.debDirs());
        String version = host.hostVersion("dash").orElseThrow();
        Path corrupt = debs.resolve("dash_" + version.replace(":", "%3a") + "_amd64.deb");
        Files.writeString(corrupt, "!<arch>\nnot really a deb\n");
        List<Path> dirs = new ArrayList<>(List.of(debs));
        dirs.addAll(userland.debDirs());
        Path out = dir.resolve("corrupt-out");
        UserlandOptions withCorrupt = new UserlandOptions(List.of(), dirs, List.of());
        assertThatThrownBy(() -> ImageBuilder.system().build(ImageBuildOptions.defaults(out).withUserland(withCorrupt),
                s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining(corrupt + ": not a readable .deb");
        assertThat(out).doesNotExist();
    }

    @Test
    void aCaCertThatIsNotAPemCertificateFailsBeforeAnythingIsWritten() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
        Path out = dir.resolve("bad-anchor-out");
        UserlandOptions bad = new UserlandOptions(List.of(), userland.debDirs(), List.of(notPem));
        assertThatThrownBy(() -> ImageBuilder.system().build(ImageBuildOptions.defaults(out).withUserland(bad), s -> { }))
                .isInstanceOf(ImageBuildException.class)
                .hasMessage("--ca-cert " + notPem + ": not a PEM certificate (no BEGIN CERTIFICATE line)");
        assertThat(out).doesNotExist();
    }

    private static QemuSpec synthesize(Path kernel, Path rootfs, SynthOptions options) {
        String config = """
                (agent.config
                  :version "0.1.0"
                  :agent-id "agent.userland-test"
                  :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true}}}
                  :network {:enabled true :egress {:via :proxy :allow-domains ["origin.example.test"]}}
                  :microvm {:kernel {:image "%s" :cmdline "console=ttyS0"}
                            :rootfs {:image "%s" :ro true}
                            :resources {:vcpus 1 :mem_mb 256}
                            :devices {:nic {:enabled true :proxy_ns "egress-proxy-ns"}
                                      :vsock {:enabled true :cid 3}}
                            :attestation {:enabled true :expect_rootfs_hash "sha256:..."}})
                """.formatted(kernel, rootfs);
        ConfigCheckResult checked = ConfigLoader.load(List.of(), new SourceFile("userland-test.rtfs", config));
        assertThat(checked.valid()).as("config: %s", checked.diagnostics()).isTrue();
        SynthResult<QemuSpec> result = new VmSynthesizer(p -> "unused", () -> Accelerator.TCG)
                .qemu(checked.validated().orElseThrow(), options);
        assertThat(result).as("synth %s", result).isInstanceOf(SynthResult.Synthesized.class);
        return ((SynthResult.Synthesized<QemuSpec>) result).spec();
    }

}
