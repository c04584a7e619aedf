package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.guest.image.LockedCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User capability packages through the CLI, everything that stops before a VM: {@code image build --capabilities}
 * refusing bad manifests (positioned, nothing written, exit 1), and {@code profile --image} / {@code run --image}
 * admitting calls against the capabilities an image's lock records.
 */
class CapabilityPackagesCommandTest {

    @TempDir Path dir;

    private Path pkg(Path caps, String id, String manifest, String runMode) throws IOException {
        Path p = Files.createDirectories(caps.resolve(id));
        Files.writeString(p.resolve("capability.rtfs"), manifest);
        if (runMode != null) {
            Path run = Files.writeString(p.resolve("run"), "#!/bin/sh\necho '{}'\n");
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString(runMode));
        }
        return p;
    }

    @Test
    void imageBuildRefusesBadManifestsWithPositionsWritesNothingAndExitsOne() throws IOException {
        Path caps = dir.resolve("caps");
        Path syntax = pkg(caps, "text.wordcount", "(capability :text.wordcount\n  :effects [] :entry \"run\"\n", "rwxr-xr-x");
        Path effect = pkg(caps, "web.fetch", "(capability :web.fetch\n  :effects [[:netwrok]] :entry \"run\")\n", "rwxr-xr-x");
        Path missing = pkg(caps, "a.missing", "(capability :a.missing :effects [] :entry \"bin/run\")\n", null);
        Path notExec = pkg(caps, "a.plain", "(capability :a.plain :effects [] :entry \"run\")\n", "rw-r--r--");
        Path out = dir.resolve("out");
        CliRun r = run("image", "build", "--out", out.toString(), "--capabilities", caps.toString(), "--no-verify", "-q");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).contains(syntax.resolve("capability.rtfs") + ":")
                .contains(effect.resolve("capability.rtfs") + ":2:14").contains("ADMISSION_EFFECT_UNKNOWN")
                .contains(missing.resolve("capability.rtfs") + ":1:43").contains("does not exist")
                .contains(notExec.resolve("capability.rtfs") + ":1:41").contains("is not executable")
                .contains("no image was written").doesNotContain("\tat ");
        assertThat(out.resolve("images")).doesNotExist();
    }

    private Path imageWith(List<LockedCapability> capabilities) throws IOException {
        Path image = dir.resolve("image");
        Files.createDirectories(image.resolve("images"));
        Files.writeString(image.resolve("images/initramfs.cpio"), "not used: the run is refused before boot");
        ImageLock.of(Map.of("initramfs.cpio", "sha256:00"), "6.1.0-test-cloud-amd64", List.of(), List.of())
                .withCapabilities(capabilities).write(image.resolve("images"));
        return image;
    }

    private static final LockedCapability WORDCOUNT = new LockedCapability("text.wordcount", "run", "sha256:m", "sha256:e", "[]");

    private String plan(String calls) throws IOException {
        return Files.writeString(dir.resolve("plan.rtfs"), "(plan ^{:effects []}\n  :program (do\n" + calls + "))\n").toString();
    }

    @Test
    void profileAgainstAnImageAdmitsItsCapabilitiesAndRefusesOthersAtTheCall() throws IOException {
        Path image = imageWith(List.of(WORDCOUNT));
        String config = Files.writeString(dir.resolve("agent.rtfs"), ProfileCommandTest.CONFIG).toString();
        String ok = plan("    (step \"count\" (call :text.wordcount {:text \"a b\"}))");
        CliRun admitted = run("profile", "--config", config, "--image", image.toString(), ok);
        assertThat(admitted.exit()).as(admitted.out() + admitted.err()).isZero();
        assertThat(admitted.out()).contains("1 step(s)");

        String unknown = plan("    (step \"count\" ^{:effects []} (call :text.wordcont {:text \"a b\"}))");
        CliRun refused = run("profile", "--config", config, "--image", image.toString(), unknown);
        assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(1);
        assertThat(refused.out()).contains("ADMISSION_CAPABILITY_UNKNOWN").contains(unknown + ":3:34");
        CliRun withoutImage = run("profile", "--config", config, unknown);
        assertThat(withoutImage.exit()).as("without --image the step's declaration covers it").isZero();
    }

    @Test
    void profileWithAnImageDirectoryThatHoldsNoImageIsRefused() throws IOException {
        String config = Files.writeString(dir.resolve("agent.rtfs"), ProfileCommandTest.CONFIG).toString();
        CliRun r = run("profile", "--config", config, "--image", dir.resolve("nothing").toString(),
                plan("    (step \"count\" (call :echo {}))"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("image.lock is missing");
    }

    @Test
    void runRefusesACallToACapabilityTheImageLacksBeforeAnythingBoots() throws IOException {
        Path image = imageWith(List.of(WORDCOUNT));
        String unknown = plan("    (step \"count\" ^{:effects []} (call :text.wordcont {:text \"a b\"}))");
        CliRun r = run("run", RunCommandTest.CONFIG, "--plan", unknown, "--image", image.toString(),
                "--run-dir", dir.resolve("run").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("ADMISSION_CAPABILITY_UNKNOWN").contains("refused: nothing was started");
        assertThat(dir.resolve("run/guest.log")).doesNotExist();
    }
}
