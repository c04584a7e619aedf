package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rtfs-microvm synth}: golden output of every target for the docs example and an air-gapped config
 * (through the real loader), refusals with diagnostics (exit 1), usage errors (exit 2), deploy attestation.
 * Goldens live in vmm/src/test/resources/golden-cli; regenerate with {@code -Drtfs.golden.update=true}.
 */
class SynthCommandTest {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    static final Path EXAMPLE = ROOT.resolve("docs/examples/agent.config.microvm.rtfs");
    static final Path AIRGAPPED = ROOT.resolve("vmm/src/test/resources/configs/agent.airgapped.rtfs");
    static final Path GOLDEN = ROOT.resolve("vmm/src/test/resources/golden-cli");
    static final String[] TARGETS = {"firecracker", "firecracker-api", "cloud-hypervisor", "cloud-hypervisor-cli", "qemu"};

    @TempDir Path dir;

    static Stream<Arguments> goldenCases() {
        return Stream.of(EXAMPLE, AIRGAPPED).flatMap(c -> Stream.of(TARGETS).map(t -> Arguments.of(c, t)));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("goldenCases")
    void everyTargetMatchesItsGoldenSnapshot(Path config, String target) throws IOException {
        CliRun r = run("synth", config.toString(), "--target", target, "--run-dir", "/run/rtfs/agent", "--proxy-port", "18001",
                "--image", config.getParent().toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        // Image paths are resolved against --image (here the config's directory); keep the goldens independent of the checkout.
        String actual = r.out().replace(config.getParent().toString(), "<CONFIG_DIR>");
        String name = config.getFileName().toString().replace(".rtfs", "") + "." + target + ".txt";
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("rtfs.golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("golden (run with -Drtfs.golden.update=true to create)").exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void jsonTargetsPrintJsonAndTheExampleWarnsAboutItsPlaceholders() {
        CliRun r = run("synth", EXAMPLE.toString(), "--target", "cloud-hypervisor", "--run-dir", "/run/rtfs/a");
        JsonNode body = JsonMapper.shared().readTree(r.out());
        assertThat(body.at("/payload/cmdline").asString()).startsWith("root=/dev/vda ro");
        assertThat(body.at("/memory/size").asLong()).isEqualTo(256L << 20);
        assertThat(r.err()).contains("the agent config has warnings");

        CliRun qemu = run("synth", AIRGAPPED.toString(), "--target", "qemu", "--run-dir", "/run/rtfs/a");
        assertThat(qemu.exit()).isZero();
        assertThat(qemu.err()).contains("SYNTH_QEMU_NO_INITRD").doesNotContain("the agent config has warnings");
        CliRun withInitrd = run("synth", AIRGAPPED.toString(), "--target", "qemu", "--run-dir", "/run/rtfs/a",
                "--initrd", "/img/initrd.cpio");
        assertThat(withInitrd.err()).isEmpty();
        assertThat(withInitrd.out()).contains("-initrd /img/initrd.cpio").doesNotContain("root=");
    }

    @Test
    void profileMacrosLoadedFirstProduceASpec() throws IOException {
        Path macros = ROOT.resolve("docs/rtfs-2.0/specs-incoming/examples/macros.rtfs");
        Path config = dir.resolve("agent.rtfs");
        Files.writeString(config, "(profile:microvm-networked \"agent.macro\" [\"api.example.com\"])\n");
        CliRun r = run("synth", config.toString(), "--load", macros.toString(), "--target", "firecracker",
                "--run-dir", "/run/rtfs/m", "--image", dir.toString());
        assertThat(r.exit()).as(r.err() + r.out()).isZero();
        JsonNode fc = JsonMapper.shared().readTree(r.out());
        assertThat(fc.at("/network-interfaces/0/host_dev_name").asString()).matches("rtv[a-z2-7]{12}");
        assertThat(fc.at("/boot-source/kernel_image_path").asString()).isEqualTo(dir.resolve("kernels/vmlinuz-min").toString());
        assertThat(fc.at("/vsock/uds_path").asString()).isEqualTo("/run/rtfs/m/vsock.sock");
    }

    @Test
    void invalidConfigsAreRefusedWithTheConfigDiagnostics() throws IOException {
        Path bad = dir.resolve("bad.rtfs");
        Files.writeString(bad, """
                (agent.config :version "1" :agent-id "a"
                  :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}}
                  :microvm {:kernel {:image "k"} :rootfs {:image "r" :ro false} :resources {:vcpus 0 :mem_mb 256}})
                """);
        CliRun r = run("synth", bad.toString(), "--target", "firecracker", "--format", "json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode report = JsonMapper.shared().readTree(r.out());
        assertThat(report.at("/files/0/valid").asBoolean()).isFalse();
        assertThat(report.at("/files/0/diagnostics").findValuesAsString("code")).contains("MICROVM_ROOTFS_RW", "MICROVM_VCPUS");
        assertThat(r.out()).doesNotContain("boot-source");

        Path syntax = dir.resolve("syntax.rtfs");
        Files.writeString(syntax, "(agent.config :version \"1\"");
        CliRun s = run("synth", syntax.toString(), "--target", "qemu");
        assertThat(s.exit()).isEqualTo(1);
        assertThat(s.out()).contains("RTFS_SYNTAX");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("synth", EXAMPLE.toString(), "--target", "xen").exit()).isEqualTo(2);
        assertThat(run("synth", EXAMPLE.toString()).exit()).isEqualTo(2);
        assertThat(run("synth", dir.resolve("missing.rtfs").toString(), "--target", "qemu").exit()).isEqualTo(2);
        assertThat(run("synth", EXAMPLE.toString(), "--target", "qemu", "--proxy-port", "0").exit()).isEqualTo(2);
        var emptyRunDir = run("synth", EXAMPLE.toString(), "--target", "qemu", "--run-dir=");
        assertThat(emptyRunDir.exit()).as("an empty --run-dir is not the working directory").isEqualTo(2);
        assertThat(emptyRunDir.err()).contains("--run-dir is empty");
    }

    @Test
    void tooLongRunDirIsRefusedWithAClearDiagnostic() {
        CliRun r = run("synth", AIRGAPPED.toString(), "--target", "firecracker", "--run-dir", "/" + "r".repeat(100));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("SYNTH_SOCKET_PATH_TOO_LONG", "Unix sockets allow at most 107");
    }

    @Test
    void deployEnforcesAttestationAgainstTheMeasuredImage() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("kernels"));
        byte[] rootfs = "not really ext4".getBytes(StandardCharsets.UTF_8);
        Files.write(images.resolve("agent-rootfs.img"), rootfs);
        String measured = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rootfs));
        Path config = dir.resolve("agent.rtfs");
        Files.writeString(config, Files.readString(AIRGAPPED).replace(
                "sha256:0000000000000000000000000000000000000000000000000000000000000000", "sha256:..."));
        String run = dir.resolve("run").toString();
        Path kernel = Files.write(dir.resolve("kernels/vmlinuz-min"), new byte[] {1, 2, 3});

        CliRun unresolved = run("synth", config.toString(), "--target", "firecracker", "--deploy", "--run-dir", run, "--image", dir.toString());
        assertThat(unresolved.exit()).isEqualTo(1);
        assertThat(unresolved.out()).contains("ATTESTATION_UNRESOLVED", measured);

        // image.lock records every boot artifact; the kernel and capability store are attested only against it.
        Path caps = Files.write(images.resolve("capabilities.img"), new byte[] {4, 5, 6});
        Files.writeString(images.resolve("image.lock"), "{\"version\":1,\"artifacts\":{\"agent-rootfs.img\":\"" + measured
                + "\",\"vmlinuz-min\":\"" + sha256(kernel) + "\",\"capabilities.img\":\"" + sha256(caps) + "\"}}");
        CliRun ok = run("synth", config.toString(), "--target", "firecracker", "--deploy", "--run-dir", run, "--image", dir.toString(),
                "--expect-rootfs-hash", measured);
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains(images.resolve("agent-rootfs.img").toString());
        assertThat(run("synth", config.toString(), "--target", "cloud-hypervisor", "--deploy", "--run-dir", run, "--image", dir.toString()).exit())
                .isZero();

        String other = "sha256:" + "f".repeat(64);
        CliRun mismatch = run("synth", config.toString(), "--target", "qemu", "--deploy", "--run-dir", run, "--image", dir.toString(),
                "--expect-rootfs-hash", other);
        assertThat(mismatch.exit()).isEqualTo(1);
        assertThat(mismatch.out()).contains("ATTESTATION_MISMATCH", measured, other);

        Files.write(kernel, new byte[] {1, 2, 4}); // swapped after image build
        CliRun swapped = run("synth", config.toString(), "--target", "qemu", "--deploy", "--run-dir", run, "--image", dir.toString());
        assertThat(swapped.exit()).isEqualTo(1);
        assertThat(swapped.out()).contains("ATTESTATION_KERNEL_MISMATCH", kernel.toString());

        Files.writeString(images.resolve("image.lock"), "{not json");
        CliRun badLock = run("synth", config.toString(), "--target", "cloud-hypervisor", "--deploy", "--run-dir", run, "--image", dir.toString());
        assertThat(badLock.exit()).isEqualTo(2);
        assertThat(badLock.err()).contains("image.lock");
    }

    @Test
    void imagePathsAreRelativeToTheImageOptionAndDefaultToTheWorkingDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        CliRun byDefault = run("synth", AIRGAPPED.toString(), "--target", "firecracker", "--run-dir", "/run/rtfs/i");
        assertThat(byDefault.exit()).as(byDefault.err()).isZero();
        JsonNode fc = JsonMapper.shared().readTree(byDefault.out());
        assertThat(fc.at("/boot-source/kernel_image_path").asString()).isEqualTo(cwd.resolve("kernels/vmlinuz-min").toString());

        CliRun given = run("synth", AIRGAPPED.toString(), "--target", "firecracker", "--run-dir", "/run/rtfs/i",
                "--image", dir.toString());
        JsonNode fcGiven = JsonMapper.shared().readTree(given.out());
        assertThat(fcGiven.at("/boot-source/kernel_image_path").asString()).isEqualTo(dir.resolve("kernels/vmlinuz-min").toString());
        assertThat(fcGiven.at("/drives/0/path_on_host").asString()).startsWith(dir.toString());
        assertThat(run("synth", "--help").out().replaceAll("\\s+", " ")).contains("--image=DIR")
                .contains("kernel and rootfs image paths are relative to it");
    }

    @Test
    void aDeployWithAMissingImageSaysWhereItLookedAndWhichOptionSetsTheBase() throws IOException {
        CliRun r = run("synth", AIRGAPPED.toString(), "--target", "qemu", "--deploy", "--run-dir", dir.resolve("run").toString(),
                "--image", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: kernel image not found: " + dir.resolve("kernels/vmlinuz-min")
                + " (paths in :microvm are relative to --image DIR, here " + dir + ")");
        assertThat(r.out()).isEmpty();

        Files.createDirectories(dir.resolve("kernels"));
        Files.write(dir.resolve("kernels/vmlinuz-min"), new byte[] {1});
        CliRun noRootfs = run("synth", AIRGAPPED.toString(), "--target", "qemu", "--deploy", "--run-dir",
                dir.resolve("run").toString(), "--image", dir.toString());
        assertThat(noRootfs.exit()).isEqualTo(1);
        assertThat(noRootfs.err()).contains("error: rootfs image not found: " + dir.resolve("images/agent-rootfs.img")
                + " (paths in :microvm are relative to --image DIR, here " + dir + ")");
    }

    @Test
    void aConfigThatIsNotUtf8IsAPositionedDiagnostic() throws IOException {
        Path bad = dir.resolve("latin1.rtfs");
        Files.write(bad, new byte[] {'(', 'a', (byte) 0xE9, ')'});
        var r = run("synth", bad.toString(), "--load", bad.toString(), "--target", "qemu");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("RTFS_SYNTAX").contains("invalid UTF-8").contains(bad + ":1:3")
                .containsOnlyOnce("invalid UTF-8");
    }

    private static String sha256(Path file) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
