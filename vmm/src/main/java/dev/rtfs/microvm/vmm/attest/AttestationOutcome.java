package dev.rtfs.microvm.vmm.attest;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Result of the deploy-time measurement of every boot artifact. The measurements are reported even when the
 * deploy is refused so the supervisor can record them (and the refusal) in the causal chain.
 *
 * @param measured    {@code sha256:<hex>} of each artifact that could be read
 * @param expected    the resolved expectation of each artifact that has one
 */
public record AttestationOutcome(Map<BootArtifact, String> measured, Map<BootArtifact, String> expected,
        List<Diagnostic> diagnostics) {

    public AttestationOutcome {
        measured = Collections.unmodifiableMap(measured.isEmpty() ? new EnumMap<>(BootArtifact.class) : new EnumMap<>(measured));
        expected = Collections.unmodifiableMap(expected.isEmpty() ? new EnumMap<>(BootArtifact.class) : new EnumMap<>(expected));
        diagnostics = List.copyOf(diagnostics);
    }

    /** Every artifact measured equals its expectation and nothing was refused. */
    public boolean verified() {
        return diagnostics.stream().noneMatch(Diagnostic::isError) && !measured.isEmpty() && measured.equals(expected);
    }

    public Optional<String> measured(BootArtifact artifact) {
        return Optional.ofNullable(measured.get(artifact));
    }

    /** Label → hash, in boot order: what the chain records. */
    public Map<String, String> byLabel() {
        Map<String, String> out = new LinkedHashMap<>();
        measured.forEach((a, h) -> out.put(a.label(), h));
        return out;
    }
}
