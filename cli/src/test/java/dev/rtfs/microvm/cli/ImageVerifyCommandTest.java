package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code image verify} and {@code image promote} on small stand-in images (the hashes are what matters, not the
 * contents): every artifact of image.lock is measured again; a mismatching image is never promoted; the link is
 * swapped atomically and only when it is a symlink.
 */
class ImageVerifyCommandTest {

    @TempDir Path dir;
    Path blue;
    Path green;

    /** An image directory in `image build`'s layout whose image.lock matches its four files. */
    private static Path image(Path root, String flavour) throws IOException {
        Files.createDirectories(root.resolve("kernels"));
        Files.createDirectories(root.resolve("images"));
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("vmlinuz-min", Files.writeString(root.resolve("kernels/vmlinuz-min"), "kernel " + flavour));
        files.put("initramfs.cpio", Files.writeString(root.resolve("images/initramfs.cpio"), "initramfs " + flavour));
        files.put("agent-rootfs.img", Files.writeString(root.resolve("images/agent-rootfs.img"), "rootfs " + flavour));
        files.put("capabilities.img", Files.writeString(root.resolve("images/capabilities.img"), "caps " + flavour));
        String artifacts = files.entrySet().stream().map(e -> {
            try {
                return "\"" + e.getKey() + "\":\"" + new Sha256ImageMeasurer().measure(e.getValue()) + "\"";
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }).collect(Collectors.joining(","));
        Files.writeString(root.resolve("images/image.lock"), "{\"version\":2,\"artifacts\":{" + artifacts
                + "},\"kernelRelease\":\"6.1.0-1-cloud-amd64\",\"modules\":[],\"builtinModules\":[]}");
        return root;
    }

    @BeforeEach
    void images() throws IOException {
        blue = image(dir.resolve("blue"), "blue");
        green = image(dir.resolve("green"), "green");
    }

    @Test
    void anIntactImagePrintsOneOkLinePerArtifactAndExitsZero() throws IOException {
        CliRun r = run("image", "verify", blue.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String kernelHash = new Sha256ImageMeasurer().measure(blue.resolve("kernels/vmlinuz-min"));
        assertThat(r.out().lines().filter(l -> l.endsWith("  ok"))).hasSize(4);
        assertThat(r.out()).contains("vmlinuz-min").contains("expected " + kernelHash + "  measured " + kernelHash + "  ok")
                .contains("initramfs.cpio", "agent-rootfs.img", "capabilities.img")
                .contains("ok: all 4 artifacts match image.lock");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aSwappedArtifactIsAMismatchAndExitsOne() throws IOException {
        String recorded = new Sha256ImageMeasurer().measure(blue.resolve("images/agent-rootfs.img"));
        Files.writeString(blue.resolve("images/agent-rootfs.img"), "tampered");
        String now = new Sha256ImageMeasurer().measure(blue.resolve("images/agent-rootfs.img"));
        CliRun r = run("image", "verify", blue.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("agent-rootfs.img").contains("expected " + recorded + "  measured " + now + "  MISMATCH")
                .contains("FAILED: 1 of 4 artifacts do not match image.lock");
        assertThat(r.out().lines().filter(l -> l.endsWith("  ok"))).hasSize(3);
    }

    @Test
    void aMissingArtifactNamesWhereItLookedAndExitsOne() throws IOException {
        Path kernel = blue.resolve("kernels/vmlinuz-min");
        Files.delete(kernel);
        CliRun r = run("image", "verify", blue.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("vmlinuz-min").contains("measured -  MISSING (" + kernel + ": no such file)");
    }

    @Test
    void aMissingOrInvalidLockIsAUsageErrorWithItsPath() throws IOException {
        Path lock = blue.resolve("images/image.lock");
        Files.writeString(lock, "{not json");
        CliRun invalid = run("image", "verify", blue.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).startsWith("error: " + lock).contains("not a valid image lock");
        assertThat(invalid.out()).isEmpty();

        Files.writeString(lock, "{\"version\":2,\"artifacts\":{\"../../etc/passwd\":\"sha256:00\"},\"kernelRelease\":\"r\"}");
        CliRun escaping = run("image", "verify", blue.toString());
        assertThat(escaping.exit()).as("a lock cannot make verify read outside the image").isEqualTo(2);
        assertThat(escaping.err()).contains(lock.toString()).contains("is not a file name");

        Files.delete(lock);
        CliRun missing = run("image", "verify", blue.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no image.lock in " + blue).contains("looked for " + lock);

        CliRun noDir = run("image", "verify", dir.resolve("nothing").toString());
        assertThat(noDir.exit()).isEqualTo(2);
        assertThat(noDir.err()).contains("image directory " + dir.resolve("nothing") + " does not exist");
    }

    @Test
    void jsonIsOneDocumentWithEveryArtifactsStatus() throws IOException {
        Files.writeString(blue.resolve("images/capabilities.img"), "other");
        CliRun r = run("image", "verify", blue.toString(), "--format", "json");
        assertThat(r.exit()).isEqualTo(1);
        JsonNode doc = JsonMapper.shared().readTree(r.out());
        assertThat(doc.get("ok").asBoolean()).isFalse();
        assertThat(doc.get("image").asString()).isEqualTo(blue.toString());
        assertThat(doc.get("artifacts")).hasSize(4);
        assertThat(doc.get("artifacts").valueStream().filter(a -> a.get("status").asString().equals("MISMATCH"))
                .map(a -> a.get("name").asString())).containsExactly("capabilities.img");
        assertThat(run("image", "verify", blue.toString(), "--format", "sarif").exit()).isEqualTo(2);
    }

    @Test
    void promoteVerifiesThenPointsTheLinkAtTheNewImageAndNamesThePreviousOne() throws IOException {
        Path link = dir.resolve("current");
        CliRun first = run("image", "promote", blue.toString(), "--link", link.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("ok: all 4 artifacts match image.lock")
                .contains("promoted " + link + " -> " + blue.toRealPath()).contains("previous: none");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(blue.toRealPath());

        CliRun second = run("image", "promote", green.toString(), "--link", link.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("previous: " + blue.toRealPath());
        assertThat(link.toRealPath()).isEqualTo(green.toRealPath());
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary link left behind")
                    .containsExactlyInAnyOrder("blue", "green", "current");
        }
    }

    @Test
    void aMismatchingImageIsNeverPromoted() throws IOException {
        Path link = dir.resolve("current");
        assertThat(run("image", "promote", blue.toString(), "--link", link.toString()).exit()).isZero();
        Files.writeString(green.resolve("images/initramfs.cpio"), "swapped");
        CliRun r = run("image", "promote", green.toString(), "--link", link.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("MISMATCH");
        assertThat(r.err()).contains("refused to promote " + green).contains(link + " is unchanged");
        assertThat(Files.readSymbolicLink(link)).isEqualTo(blue.toRealPath());
    }

    @Test
    void aLinkPathThatIsNotASymlinkIsLeftAlone() throws IOException {
        Path file = Files.writeString(dir.resolve("current"), "precious");
        CliRun r = run("image", "promote", blue.toString(), "--link", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(file + " exists and is not a symlink; it was left alone");
        assertThat(Files.readString(file)).isEqualTo("precious");

        Path directory = Files.createDirectories(dir.resolve("a-dir"));
        assertThat(run("image", "promote", blue.toString(), "--link", directory.toString()).exit()).isEqualTo(2);
        assertThat(directory).isDirectory();
        assertThat(Files.isSymbolicLink(directory)).isFalse();
    }

    @Test
    void theLinkIsNeverMissingWhileItIsSwapped() throws Exception {
        Path link = dir.resolve("current");
        assertThat(run("image", "promote", blue.toString(), "--link", link.toString()).exit()).isZero();
        // A reader polls the link while promotions flip it between the two images.
        java.util.concurrent.atomic.AtomicInteger gaps = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                if (!Files.isSymbolicLink(link)) gaps.incrementAndGet();
            }
        });
        try {
            for (int i = 0; i < 10; i++) {
                assertThat(run("image", "promote", (i % 2 == 0 ? green : blue).toString(), "--link", link.toString())
                        .exit()).isZero();
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(gaps.get()).isZero();
    }
}
