package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.config.diag.Diagnostic;
import dev.rtfs.microvm.vmm.attest.AttestationOutcome;
import dev.rtfs.microvm.vmm.attest.AttestationVerifier;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestationTest {

    private static final String GOOD = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);
    private static final Path RUN = Path.of("/run/rtfs/agent.demo");

    private static SynthResult<?> deploy(TestConfigs c, SynthOptions o, String measured) {
        return new VmSynthesizer(p -> measured, () -> dev.rtfs.microvm.vmm.qemu.Accelerator.TCG)
                .firecracker(c.build(), o.withDeploy(true));
    }

    @Test
    void templatesDoNotNeedAHashButDeploysDo() {
        TestConfigs placeholder = TestConfigs.example(); // "sha256:..." is a placeholder
        assertThat(VmSynthesizer.standard().firecracker(placeholder.build(), SynthOptions.defaults(RUN)))
                .isInstanceOf(SynthResult.Synthesized.class);
        SynthResult<?> r = deploy(placeholder, SynthOptions.defaults(RUN), GOOD);
        assertThat(r).isInstanceOf(SynthResult.Refused.class);
        Diagnostic d = r.diagnostics().getFirst();
        assertThat(d.code()).isEqualTo(SynthCodes.ATTESTATION_UNRESOLVED);
        assertThat(d.suggestion()).contains("--expect-rootfs-hash", "measured now: " + GOOD);
        assertThat(d.span().line()).isEqualTo(27);
    }

    @Test
    void anySourceOfTheHashResolvesIt() {
        TestConfigs inConfig = TestConfigs.example();
        inConfig.expectHash = GOOD;
        assertThat(deploy(inConfig, SynthOptions.defaults(RUN), GOOD)).isInstanceOf(SynthResult.Synthesized.class);
        assertThat(deploy(TestConfigs.example(), SynthOptions.defaults(RUN).withExpectRootfsHash(GOOD), GOOD))
                .isInstanceOf(SynthResult.Synthesized.class);
        assertThat(deploy(TestConfigs.example(), SynthOptions.defaults(RUN).withLockedRootfsHash(GOOD), GOOD))
                .isInstanceOf(SynthResult.Synthesized.class);
    }

    @Test
    void everySourceMustMatchTheMeasurement() {
        TestConfigs c = TestConfigs.example();
        c.expectHash = GOOD;
        SynthResult<?> r = deploy(c, SynthOptions.defaults(RUN), OTHER);
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCodes.ATTESTATION_MISMATCH);
        assertThat(r.diagnostics().getFirst().message()).contains(OTHER, GOOD, "the config");

        SynthResult<?> disagree = deploy(c, SynthOptions.defaults(RUN).withLockedRootfsHash(OTHER), GOOD);
        assertThat(disagree.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCodes.ATTESTATION_MISMATCH);
        assertThat(disagree.diagnostics().getFirst().message()).contains("image.lock");

        assertThat(deploy(c, SynthOptions.defaults(RUN).withExpectRootfsHash("sha256:XYZ"), GOOD).diagnostics())
                .extracting(Diagnostic::code).containsExactly(SynthCodes.ATTESTATION_HASH_FORMAT);
    }

    @Test
    void unreadableImageIsRefused() {
        TestConfigs c = TestConfigs.example();
        c.expectHash = GOOD;
        SynthResult<?> r = new VmSynthesizer(p -> { throw new NoSuchFileException(p.toString()); },
                () -> dev.rtfs.microvm.vmm.qemu.Accelerator.TCG)
                .firecracker(c.build(), SynthOptions.defaults(RUN).withDeploy(true));
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCodes.ATTESTATION_IMAGE_UNREADABLE);
    }

    @Test
    void realMeasurementStreamsTheImage(@TempDir Path dir) throws IOException {
        Path image = dir.resolve("rootfs.img");
        byte[] data = new byte[3 * (1 << 20) + 17]; // spans several 1 MiB reads
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31);
        Files.write(image, data);
        String expected;
        try {
            expected = "sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        assertThat(new Sha256ImageMeasurer().measure(image)).isEqualTo(expected);

        TestConfigs c = TestConfigs.example();
        c.rootfsImage = image.toString();
        VmBlueprint vm = BlueprintReader.read(c.build()).blueprint().orElseThrow();
        AttestationOutcome ok = new AttestationVerifier(new Sha256ImageMeasurer())
                .verify(vm, SynthOptions.defaults(RUN).withExpectRootfsHash(expected));
        assertThat(ok.verified()).isTrue();
        Files.write(image, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        AttestationOutcome tampered = new AttestationVerifier(new Sha256ImageMeasurer())
                .verify(vm, SynthOptions.defaults(RUN).withExpectRootfsHash(expected));
        assertThat(tampered.verified()).isFalse();
        assertThat(tampered.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCodes.ATTESTATION_MISMATCH);
    }
}
