package dev.rtfs.microvm.vmm.attest;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.vmm.SynthCode;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.VmBlueprint;
import dev.rtfs.microvm.vmm.firecracker.FirecrackerSynthesizer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Deploy-time attestation of every boot artifact: the kernel, the initramfs (/init and the agent: the
 * first code the guest runs), the rootfs and the capability store are each measured once, streamed, and must equal
 * their expectation. The rootfs's expectation comes from the config, {@code --expect-rootfs-hash} or image.lock
 * (every source that gives one must agree); the others' from image.lock only. An artifact without an expectation
 * is refused like one that differs: nothing unmeasured boots. Enforced on every deploy, also when
 * {@code :attestation :enabled} is false.
 */
public final class AttestationVerifier {

    public static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    public static final String PATH = "microvm.attestation.expect_rootfs_hash";

    private final ImageMeasurer measurer;

    public AttestationVerifier(ImageMeasurer measurer) {
        this.measurer = measurer;
    }

    /** The files {@code vm} boots from with {@code options}, in boot order. */
    public static Map<BootArtifact, Path> artifacts(VmBlueprint vm, SynthOptions options) {
        Map<BootArtifact, Path> files = new EnumMap<>(BootArtifact.class);
        files.put(BootArtifact.KERNEL, Path.of(options.resolve(vm.kernelImage())));
        options.initrd().ifPresent(i -> files.put(BootArtifact.INITRAMFS, i));
        files.put(BootArtifact.ROOTFS, Path.of(options.resolve(vm.rootfsImage())));
        if (vm.capabilitiesMount()) {
            files.put(BootArtifact.CAPABILITIES, Path.of(FirecrackerSynthesizer.capabilitiesImage(vm, options)));
        }
        return files;
    }

    public AttestationOutcome verify(VmBlueprint vm, SynthOptions options) {
        Span span = vm.attestation().span();
        List<Diagnostic> out = new ArrayList<>();
        Map<BootArtifact, String> measured = new EnumMap<>(BootArtifact.class);
        Map<BootArtifact, String> expected = new EnumMap<>(BootArtifact.class);
        for (Map.Entry<BootArtifact, Path> e : artifacts(vm, options).entrySet()) {
            BootArtifact artifact = e.getKey();
            Path file = e.getValue();
            Map<String, String> sources = expectations(artifact, file, vm, options);
            sources.forEach((source, hash) -> {
                if (!HASH.matcher(hash).matches()) {
                    out.add(Diagnostic.error(SynthCode.ATTESTATION_HASH_FORMAT, PATH,
                            artifact.label() + " hash from " + source + " is not sha256:<64 lowercase hex>: '" + hash + "'",
                            "write it as sha256:<hex>, e.g. the output of `sha256sum IMAGE`", span));
                }
            });
            Optional<String> m;
            try {
                m = Optional.of(measurer.measure(file));
                measured.put(artifact, m.get());
            } catch (IOException ex) {
                m = Optional.empty();
                out.add(Diagnostic.error(SynthCode.ATTESTATION_IMAGE_UNREADABLE, artifact.path(),
                        "cannot measure " + artifact.label() + " " + file + ": "
                                + (ex instanceof NoSuchFileException ? "no such file" : ex.getMessage()),
                        "build the image (`rtfs-microvm image build`) or fix the path", Span.NONE));
            }
            if (sources.isEmpty()) {
                out.add(Diagnostic.error(SynthCode.ATTESTATION_UNRESOLVED,
                        artifact == BootArtifact.ROOTFS ? PATH : artifact.path(),
                        "no expected " + artifact.label() + " hash: the deploy cannot attest " + file,
                        (artifact == BootArtifact.ROOTFS
                                ? "set :expect_rootfs_hash, pass --expect-rootfs-hash sha256:<hex>, or build the image so "
                                        + "that image.lock records it"
                                : "build the image with `rtfs-microvm image build`: its image.lock records the "
                                        + artifact.label())
                                + m.map(h -> " (measured now: " + h + ")").orElse(""),
                        artifact == BootArtifact.ROOTFS ? span : Span.NONE));
                continue;
            }
            expected.put(artifact, sources.values().iterator().next());
            m.ifPresent(h -> sources.forEach((source, hash) -> {
                if (HASH.matcher(hash).matches() && !hash.equals(h)) {
                    out.add(Diagnostic.error(artifact.mismatchCode(),
                            artifact == BootArtifact.ROOTFS ? PATH : artifact.path(),
                            artifact.label() + " " + file + " measures " + h + " but " + source + " expects " + hash,
                            "rebuild the image or update the expected hash after reviewing the change", span));
                }
            }));
        }
        return new AttestationOutcome(measured, expected, out);
    }

    /** Source → expected hash of one artifact; image.lock is looked up by the artifact's file name. */
    private static Map<String, String> expectations(BootArtifact artifact, Path file, VmBlueprint vm, SynthOptions options) {
        Map<String, String> sources = new LinkedHashMap<>();
        if (artifact == BootArtifact.ROOTFS) {
            vm.attestation().expectRootfsHash().ifPresent(h -> sources.put("the config", h));
            options.expectRootfsHash().ifPresent(h -> sources.put("--expect-rootfs-hash", h));
        }
        options.imageLock().flatMap(lock -> lock.hashOf(file)).ifPresent(h -> sources.put("image.lock", h));
        return sources;
    }
}
