package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The host decides, the guest computes: the determinism context of call {@code call} of a step, from the step's
 * profile alone (never from the host's clock or entropy), so a rerun and a restart after a crash send the same.
 */
final class CallContexts {

    private CallContexts() {}

    /** Empty when the step's random and time are both real: the guest then uses its kernel's random and clock. */
    static Optional<CallDeterminism> of(StepProfile profile, int call) {
        StepProfile.DeterminismProfile d = profile.determinism();
        // The seed as written in the plan ("0x2a", "7"), UTF-8, hex: one byte string for both sides, no parsing.
        Optional<String> seed = d.random().equals("deterministic")
                ? d.seed().map(s -> HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8)))
                : Optional.empty();
        OptionalLong now = d.virtualNowMs(profile.index(), call);
        if (seed.isEmpty() && now.isEmpty()) return Optional.empty();
        return Optional.of(new CallDeterminism(seed, profile.index(), call, now));
    }
}
