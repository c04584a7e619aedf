package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.guest.image.GuestInitramfs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run config disk: its format (round trip, bounds, refusals of anything malformed, Java side) and the agent's
 * reader of it ({@code run_config_load}, on the host's busybox as in the guest).
 */
class RunConfigDiskTest {

    @TempDir static Path shared;
    private static String caPem;

    @TempDir Path dir;

    @BeforeAll
    static void aSelfSignedCaMadeWithKeytool() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = shared.resolve("ks.p12");
        Path pem = shared.resolve("ca.pem");
        exec(keytool.toString(), "-genkeypair", "-keystore", store.toString(), "-storepass", "changeit", "-alias", "ca",
                "-keyalg", "EC", "-dname", "CN=rtfs run config test CA", "-validity", "2");
        exec(keytool.toString(), "-exportcert", "-rfc", "-keystore", store.toString(), "-storepass", "changeit",
                "-alias", "ca", "-file", pem.toString());
        caPem = Files.readString(pem);
    }

    private static void exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void aDiskRoundTripsItsCaAndIsWholeBlocksWithinTheBound() throws Exception {
        RunConfigDisk disk = RunConfigDisk.of(caPem);
        byte[] image = disk.toBytes();
        assertThat(image.length % RunConfigDisk.BLOCK).isZero();
        assertThat(image.length).isBetween(RunConfigDisk.BLOCK, RunConfigDisk.MAX_BYTES);
        assertThat(RunConfigDisk.parse(image)).isEqualTo(disk);
        // Deterministic: the same CA gives the same bytes, so the hash in the chain identifies the content.
        assertThat(RunConfigDisk.of(caPem).toBytes()).isEqualTo(image);
        // The marker is the first entry, right at the start of the device.
        assertThat(new String(image, 0, RunConfigDisk.MARKER.length(), StandardCharsets.US_ASCII))
                .isEqualTo(RunConfigDisk.MARKER);
        assertThat(disk.caSha256()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void theDiskFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("run-config.img");
        byte[] written = RunConfigDisk.of(caPem).writeTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(written);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aPrivateKeyOrSomethingThatIsNotACertificateNeverReachesTheDisk() {
        String key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> RunConfigDisk.of(caPem + key)).hasMessageContaining("private key");
        assertThatThrownBy(() -> RunConfigDisk.of("hello")).hasMessageContaining("PEM certificate");
        assertThatThrownBy(() -> RunConfigDisk.of("")).hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> RunConfigDisk.of(caPem.repeat(RunConfigDisk.MAX_CA_BYTES / caPem.length() + 1)))
                .hasMessageContaining("expected 1 to " + RunConfigDisk.MAX_CA_BYTES);
        assertThatThrownBy(() -> RunConfigDisk.of("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(RunConfigDisk.MalformedException.class);
    }

    private static byte[] tar(String... namesAndContents) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                byte[] content = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(namesAndContents[i]);
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aDiskWithoutTheMarkerFirstWithExtraEntriesOrTooLargeIsMalformed() throws Exception {
        assertThatThrownBy(() -> RunConfigDisk.parse(tar("ca.pem", caPem, RunConfigDisk.MARKER, "1\n")))
                .hasMessageContaining("expected the file 'rtfs-run-config.v1'");
        assertThatThrownBy(() -> RunConfigDisk.parse(tar(RunConfigDisk.MARKER, "2\n", "ca.pem", caPem)))
                .hasMessageContaining("unknown content");
        assertThatThrownBy(() -> RunConfigDisk.parse(tar(RunConfigDisk.MARKER, "1\n", "ca.pem", caPem, "key.pem", "x")))
                .hasMessageContaining("unexpected entry 'key.pem'");
        assertThatThrownBy(() -> RunConfigDisk.parse(tar(RunConfigDisk.MARKER, "1\n")))
                .hasMessageContaining("expected the file 'ca.pem'");
        assertThatThrownBy(() -> RunConfigDisk.parse(new byte[RunConfigDisk.MAX_BYTES + 1]))
                .hasMessageContaining("at most " + RunConfigDisk.MAX_BYTES);
    }

    @Test
    void fuzzedDisksAreEitherTheOriginalOrRefusedAsMalformed() throws Exception {
        long seed = System.nanoTime();
        System.out.println("RunConfigDiskTest fuzz seed " + seed);
        Random random = new Random(seed);
        byte[] good = RunConfigDisk.of(caPem).toBytes();
        for (int i = 0; i < 300; i++) {
            byte[] image = Arrays.copyOf(good, random.nextInt(3) == 0 ? random.nextInt(good.length + 1) : good.length);
            for (int flips = random.nextInt(8) + 1; flips > 0 && image.length > 0; flips--) {
                image[random.nextInt(Math.min(image.length, 2048))] = (byte) random.nextInt(256);
            }
            try {
                RunConfigDisk parsed = RunConfigDisk.parse(image);
                // Only flips that tar or PEM ignore (padding, checksum-neutral) may still parse: to a valid disk.
                assertThat(RunConfigDisk.of(parsed.caPem())).as("seed %d", seed).isEqualTo(parsed);
            } catch (RunConfigDisk.MalformedException expected) {
                assertThat(expected.getMessage()).as("seed %d", seed).isNotBlank();
            }
        }
    }

    // ---- the agent's reader, on the host's busybox ------------------------------------------------------------

    private AgentShell.Run load(byte[] image) throws Exception {
        AgentPrerequisites.requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        AgentShell shell = new AgentShell(dir);
        Path disk = Files.write(dir.resolve("disk.img"), image);
        Path imageBundle = Files.writeString(dir.resolve("image-bundle.crt"), "# the image's anchors\n");
        return shell.run("export RTFS_AGENT_RUN_CONFIG=\"$W/run\"; CA_BUNDLE=" + imageBundle
                + "; RUN_CONFIG=\"$W/run\"; if run_config_load \"$1\"; then printf '%s|%s' \"$CA_BUNDLE\" \"$RUN_CA\"; "
                + "else echo refused; fi", disk.toString());
    }

    @Test
    void theAgentAddsTheRunsCaToACopyOfTheImagesBundle() throws Exception {
        AgentShell.Run r = load(RunConfigDisk.of(caPem).toBytes());
        String out = new String(r.stdout(), StandardCharsets.UTF_8);
        Path bundle = dir.resolve("work/run/ca-bundle.crt");
        assertThat(out).as(r.stderr()).isEqualTo(bundle + "|1");
        assertThat(Files.readString(bundle)).isEqualTo("# the image's anchors\n" + caPem);
        assertThat(Files.readString(dir.resolve("image-bundle.crt"))).isEqualTo("# the image's anchors\n");
    }

    @Test
    void theAgentRefusesADiskThatIsNotARunConfigDiskWithALogLine() throws Exception {
        AgentShell.Run garbage = load("not a tar archive at all".repeat(100).getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(garbage.stdout(), StandardCharsets.UTF_8)).isEqualTo("refused\n");
        assertThat(garbage.stderr()).contains("not a run config disk");

        AgentShell.Run markerLast = load(tar("ca.pem", caPem, RunConfigDisk.MARKER, "1\n"));
        assertThat(new String(markerLast.stdout(), StandardCharsets.UTF_8)).isEqualTo("refused\n");

        AgentShell.Run noCa = load(tar(RunConfigDisk.MARKER, "1\n"));
        assertThat(noCa.stderr()).contains("no ca.pem");

        AgentShell.Run key = load(tar(RunConfigDisk.MARKER, "1\n", "ca.pem",
                caPem + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        assertThat(key.stderr()).contains("holds a private key");
        assertThat(new String(key.stdout(), StandardCharsets.UTF_8)).isEqualTo("refused\n");

        AgentShell.Run version = load(tar(RunConfigDisk.MARKER, "2\n", "ca.pem", caPem));
        assertThat(version.stderr()).contains("unknown format version");
    }
}
