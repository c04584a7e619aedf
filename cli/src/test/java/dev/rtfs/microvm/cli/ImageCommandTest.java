package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rtfs.microvm.guest.image.GuestKernel;
import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.guest.image.KernelInputException;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rtfs-microvm image build}: one real build (needs linux-image-cloud-amd64, busybox-static, e2fsprogs: skipped
 * locally without them, failed under CI=true), booted once to prove it, and the failure paths.
 */
class ImageCommandTest {

    @TempDir Path dir;

    private static void requirePrerequisites() {
        boolean e2fs = Stream.of("/usr/sbin", "/sbin").anyMatch(d -> Files.isExecutable(Path.of(d, "mkfs.ext4"))
                && Files.isExecutable(Path.of(d, "debugfs")));
        boolean busybox = Files.isExecutable(Path.of("/bin/busybox"));
        // The product's own lookup: the kernel image build will take, or none.
        boolean kernel;
        try {
            kernel = GuestKernel.newestIn(Path.of("/boot")).isPresent();
        } catch (KernelInputException e) {
            kernel = false;
        }
        if (e2fs && busybox && kernel) return;
        String message = "image build needs e2fsprogs, busybox-static and a readable linux-image-cloud-amd64 kernel";
        if ("true".equals(System.getenv("CI"))) fail(message + " [CI=true: prerequisites must be present]");
        Assumptions.abort(message + " — skipped (set CI=true to make this a failure)");
    }

    @Test
    void buildPrintsEveryArtifactWithSizeAndTheLockedHash() throws Exception {
        requirePrerequisites();
        Path out = dir.resolve("guest");
        CliRun r = run("image", "build", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).as("progress on stderr, phase by phase, with times").contains("image build: [")
                .contains("kernel " + GuestKernel.newestIn(Path.of("/boot")).orElseThrow().image())
                .contains("booting the new image once, to the agent's hello");
        assertThat(r.out()).containsPattern("verified: booted to the agent's hello in \\d+\\.\\d s");
        ImageLock lock = ImageLock.besides(out.resolve("images/agent-rootfs.img")).orElseThrow();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("built the guest image in " + out.toAbsolutePath());
        for (String artifact : List.of("kernels/vmlinuz-min", "images/initramfs.cpio", "images/agent-rootfs.img",
                "images/capabilities.img")) {
            Path p = out.resolve(artifact);
            String hash = new Sha256ImageMeasurer().measure(p);
            assertThat(lock.hashOf(p)).contains(hash);
            assertThat(lines).anySatisfy(l -> assertThat(l).contains(artifact).contains(Files.size(p) + " bytes")
                    .endsWith(hash));
        }
        assertThat(lines.getLast()).contains("images/image.lock").contains("the 4 hashes above");
        GuestKernel kernel = GuestKernel.newestIn(Path.of("/boot")).orElseThrow();
        assertThat(lines.getFirst()).contains("kernel " + kernel.image());
        assertThat(lock.release()).contains(kernel.release());
        assertThat(lines).contains("  kernel release " + kernel.release())
                .contains("  modules (load order): " + String.join(" ", lock.loadedModules()))
                .contains("  built into the kernel: " + String.join(" ", lock.builtIn()));
        assertThat(lock.loadedModules()).contains("virtio_blk", "virtio_net", "virtio_console");
        assertThat(Files.readString(out.resolve("images/image.lock"))).contains("\"version\"");
    }

    @Test
    void unwritableOutIsExitOneWithOneLine() throws Exception {
        requirePrerequisites();
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        CliRun r = run("image", "build", "--out", file.toString(), "--quiet");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot write to " + file).hasLineCount(1);
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void busyboxOnlyWithAUserlandOptionIsAUsageError() {
        CliRun r = run("image", "build", "--out", dir.resolve("o").toString(), "--busybox-only", "--package", "python3-minimal");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--busybox-only builds no userland");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void missingKernelIsExitOneWithOneLine() {
        Path kernel = dir.resolve("no/vmlinuz-6.1.0-1-cloud-amd64");
        CliRun r = run("image", "build", "--out", dir.resolve("o").toString(), "--kernel", kernel.toString(), "-q");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: kernel " + kernel + ": no such file\n");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void aUserlandPackageWithoutALocalDebIsExitOneNamingTheFetchCommandAndWritesNothing() throws Exception {
        requirePrerequisites();
        Path debs = Files.createDirectories(dir.resolve("debs"));
        Path out = dir.resolve("userland-out");
        CliRun r = run("image", "build", "--out", out.toString(), "--package", "no-such-package-rtfs", "--debs",
                debs.toString(), "--no-verify", "-q");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: package ").contains("has no local .deb").contains("fetch it: ")
                .hasLineCount(1);
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void aCaCertThatIsNotPemIsExitOneWithOneLine() throws Exception {
        Path notPem = Files.writeString(dir.resolve("anchor.txt"), "not a certificate\n");
        Path out = dir.resolve("ca-out");
        CliRun r = run("image", "build", "--out", out.toString(), "--ca-cert", notPem.toString(), "--no-verify", "-q");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: --ca-cert " + notPem + ": not a PEM certificate (no BEGIN CERTIFICATE line)\n");
        assertThat(out).doesNotExist();
    }

    @Test
    void imageWithoutSubcommandPrintsUsage() {
        CliRun r = run("image");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("build");
    }
}
