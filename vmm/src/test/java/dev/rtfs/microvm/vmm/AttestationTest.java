package dev.rtfs.microvm.vmm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.vmm.attest.AttestationOutcome;
import dev.rtfs.microvm.vmm.attest.AttestationVerifier;
import dev.rtfs.microvm.vmm.attest.ExpectedHashes;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
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

    /** An image.lock recording {@code hash} for the rootfs and {@code others} for the kernel and capability store. */
    private static ExpectedHashes lock(String rootfsHash, String others) {
        return new ExpectedHashes(Map.of("agent-rootfs.img", rootfsHash, "vmlinuz-min", others, "capabilities.img", others,
                "initramfs.cpio", others));
    }

    @Test
    void templatesDoNotNeedAHashButDeploysDo() {
        TestConfigs placeholder = TestConfigs.example(); // "sha256:..." is a placeholder
        assertThat(VmSynthesizer.standard().firecracker(placeholder.build(), SynthOptions.defaults(RUN)))
                .isInstanceOf(SynthResult.Synthesized.class);
        ExpectedHashes noRootfs = new ExpectedHashes(Map.of("vmlinuz-min", GOOD, "capabilities.img", GOOD));
        SynthResult<?> r = deploy(placeholder, SynthOptions.defaults(RUN).withImageLock(noRootfs), GOOD);
        assertThat(r).isInstanceOf(SynthResult.Refused.class);
        assertThat(r.diagnostics()).hasSize(1);
        Diagnostic d = r.diagnostics().getFirst();
        assertThat(d.code()).isEqualTo(SynthCode.ATTESTATION_UNRESOLVED);
        assertThat(d.suggestion()).contains("--expect-rootfs-hash", "measured now: " + GOOD);
        assertThat(d.span().line()).isEqualTo(27);
    }

    @Test
    void anySourceOfTheHashResolvesIt() {
        TestConfigs inConfig = TestConfigs.example();
        inConfig.expectHash = GOOD;
        // The lock below has no rootfs entry: only the config or the override can resolve the rootfs.
        ExpectedHashes kernelOnly = new ExpectedHashes(Map.of("vmlinuz-min", GOOD, "capabilities.img", GOOD));
        assertThat(deploy(inConfig, SynthOptions.defaults(RUN).withImageLock(kernelOnly), GOOD))
                .isInstanceOf(SynthResult.Synthesized.class);
        assertThat(deploy(TestConfigs.example(), SynthOptions.defaults(RUN).withImageLock(kernelOnly)
                .withExpectRootfsHash(GOOD), GOOD)).isInstanceOf(SynthResult.Synthesized.class);
        SynthResult<?> locked = deploy(TestConfigs.example(), SynthOptions.defaults(RUN).withImageLock(lock(GOOD, GOOD)), GOOD);
        assertThat(locked).isInstanceOf(SynthResult.Synthesized.class);
        assertThat(locked.measured()).as("what the chain records").containsOnlyKeys("kernel", "rootfs", "capabilities")
                .containsValue(GOOD);
    }

    @Test
    void everySourceMustMatchTheMeasurement() {
        TestConfigs c = TestConfigs.example();
        c.expectHash = GOOD;
        SynthResult<?> r = deploy(c, SynthOptions.defaults(RUN).withImageLock(lock(OTHER, OTHER)), OTHER);
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCode.ATTESTATION_MISMATCH);
        assertThat(r.diagnostics().getFirst().message()).contains(OTHER, GOOD, "the config");

        SynthResult<?> disagree = deploy(c, SynthOptions.defaults(RUN).withImageLock(lock(OTHER, GOOD)), GOOD);
        assertThat(disagree.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCode.ATTESTATION_MISMATCH);
        assertThat(disagree.diagnostics().getFirst().message()).contains("image.lock");

        assertThat(deploy(c, SynthOptions.defaults(RUN).withImageLock(lock(GOOD, GOOD)).withExpectRootfsHash("sha256:XYZ"),
                GOOD).diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCode.ATTESTATION_HASH_FORMAT);
    }

    @Test
    void theKernelAndCapabilityStoreAreAttestedAgainstImageLockToo() {
        TestConfigs c = TestConfigs.example();
        c.expectHash = GOOD;
        SynthResult<?> noLock = deploy(c, SynthOptions.defaults(RUN), GOOD);
        assertThat(noLock.diagnostics()).extracting(Diagnostic::code)
                .containsExactly(SynthCode.ATTESTATION_UNRESOLVED, SynthCode.ATTESTATION_UNRESOLVED);
        assertThat(noLock.diagnostics()).extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("kernel"))
                .anySatisfy(m -> assertThat(m).contains("capabilities"));
        assertThat(noLock.measured()).as("measured even when refused").containsKeys("kernel", "rootfs", "capabilities");

        ExpectedHashes swappedKernel = new ExpectedHashes(Map.of("agent-rootfs.img", GOOD, "vmlinuz-min", OTHER,
                "capabilities.img", GOOD));
        assertThat(deploy(c, SynthOptions.defaults(RUN).withImageLock(swappedKernel), GOOD).diagnostics())
                .extracting(Diagnostic::code).containsExactly(SynthCode.ATTESTATION_KERNEL_MISMATCH);
    }

    @Test
    void unreadableImageIsRefused() {
        TestConfigs c = TestConfigs.example();
        c.expectHash = GOOD;
        SynthResult<?> r = new VmSynthesizer(p -> { throw new NoSuchFileException(p.toString()); },
                () -> dev.rtfs.microvm.vmm.qemu.Accelerator.TCG)
                .firecracker(c.build(), SynthOptions.defaults(RUN).withDeploy(true).withImageLock(lock(GOOD, GOOD)));
        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsOnly(SynthCode.ATTESTATION_IMAGE_UNREADABLE)
                .hasSize(3);
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
        Path kernel = Files.write(dir.resolve("vmlinuz-min"), new byte[] {7});
        Path caps = Files.write(dir.resolve("capabilities.img"), new byte[] {8});
        c.kernelImage = kernel.toString();
        vm = BlueprintReader.read(c.build()).blueprint().orElseThrow();
        SynthOptions options = SynthOptions.defaults(RUN).withExpectRootfsHash(expected).withImageLock(new ExpectedHashes(Map.of(
                "vmlinuz-min", new Sha256ImageMeasurer().measure(kernel),
                "capabilities.img", new Sha256ImageMeasurer().measure(caps))));
        AttestationOutcome ok = new AttestationVerifier(new Sha256ImageMeasurer()).verify(vm, options);
        assertThat(ok.verified()).as("%s", ok.diagnostics()).isTrue();
        Files.write(image, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        AttestationOutcome tampered = new AttestationVerifier(new Sha256ImageMeasurer()).verify(vm, options);
        assertThat(tampered.verified()).isFalse();
        assertThat(tampered.diagnostics()).extracting(Diagnostic::code).containsExactly(SynthCode.ATTESTATION_MISMATCH);
    }
}
