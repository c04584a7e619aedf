package dev.rtfs.microvm.vmm.attest;

import dev.rtfs.microvm.config.diag.Diagnostic;
import java.util.List;
import java.util.Optional;

/**
 * Result of the deploy-time rootfs check. The measurement is reported even when the deploy is refused so the
 * supervisor can record it (and the refusal) in the causal chain.
 *
 * @param measured    {@code sha256:<hex>} of the rootfs image, empty when it could not be read
 * @param expected    the resolved expectation, empty when unresolved
 */
public record AttestationOutcome(Optional<String> measured, Optional<String> expected, List<Diagnostic> diagnostics) {
    public AttestationOutcome {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean verified() {
        return diagnostics.stream().noneMatch(Diagnostic::isError) && measured.isPresent() && measured.equals(expected);
    }
}
