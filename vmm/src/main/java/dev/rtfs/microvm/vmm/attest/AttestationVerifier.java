package dev.rtfs.microvm.vmm.attest;

import dev.rtfs.microvm.config.diag.Diagnostic;
import dev.rtfs.microvm.lang.Span;
import dev.rtfs.microvm.vmm.SynthCodes;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.VmBlueprint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Deploy-time attestation (DESIGN §5): the expected rootfs hash comes from the config, {@code --expect-rootfs-hash}
 * or image.lock; every source that gives one must equal the measured sha256 of the image. Enforced on every
 * deploy, also when {@code :attestation :enabled} is false: an unmeasured rootfs never boots.
 */
public final class AttestationVerifier {

    public static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    public static final String PATH = "microvm.attestation.expect_rootfs_hash";

    private final ImageMeasurer measurer;

    public AttestationVerifier(ImageMeasurer measurer) {
        this.measurer = measurer;
    }

    public AttestationOutcome verify(VmBlueprint vm, SynthOptions options) {
        Span span = vm.attestation().span();
        List<Diagnostic> out = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        vm.attestation().expectRootfsHash().ifPresent(h -> sources.put("the config", h));
        options.expectRootfsHash().ifPresent(h -> sources.put("--expect-rootfs-hash", h));
        options.lockedRootfsHash().ifPresent(h -> sources.put("image.lock", h));
        sources.forEach((source, hash) -> {
            if (!HASH.matcher(hash).matches()) {
                out.add(Diagnostic.error(SynthCodes.ATTESTATION_HASH_FORMAT, PATH,
                        "rootfs hash from " + source + " is not sha256:<64 lowercase hex>: '" + hash + "'",
                        "write it as sha256:<hex>, e.g. the output of `sha256sum IMAGE`", span));
            }
        });
        Path image = Path.of(options.resolve(vm.rootfsImage()));
        Optional<String> measured;
        try {
            measured = Optional.of(measurer.measure(image));
        } catch (IOException e) {
            measured = Optional.empty();
            out.add(Diagnostic.error(SynthCodes.ATTESTATION_IMAGE_UNREADABLE, "microvm.rootfs.image",
                    "cannot measure rootfs image " + image + ": "
                            + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()),
                    "build the image (`rtfs-microvm image build`) or fix :microvm.rootfs.image", Span.NONE));
        }
        if (sources.isEmpty()) {
            out.add(Diagnostic.error(SynthCodes.ATTESTATION_UNRESOLVED, PATH,
                    "no expected rootfs hash: the deploy cannot attest " + image,
                    "set :expect_rootfs_hash, pass --expect-rootfs-hash sha256:<hex>, or build the image so that "
                            + "image.lock records it" + measured.map(m -> " (measured now: " + m + ")").orElse(""),
                    span));
            return new AttestationOutcome(measured, Optional.empty(), out);
        }
        Optional<String> expected = Optional.of(sources.values().iterator().next());
        if (measured.isPresent()) {
            String m = measured.get();
            sources.forEach((source, hash) -> {
                if (HASH.matcher(hash).matches() && !hash.equals(m)) {
                    out.add(Diagnostic.error(SynthCodes.ATTESTATION_MISMATCH, PATH,
                            "rootfs " + image + " measures " + m + " but " + source + " expects " + hash,
                            "rebuild the image or update the expected hash after reviewing the change", span));
                }
            });
        }
        return new AttestationOutcome(measured, expected, out);
    }
}
