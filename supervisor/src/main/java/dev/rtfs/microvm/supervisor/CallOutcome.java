package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** One call of a step as it was sent (with its determinism context, if its step has one) and answered. */
record CallOutcome(String capability, JsonNode args, CallResult result, Duration elapsed,
        Optional<CallDeterminism> det) {

    public CallOutcome(String capability, JsonNode args, CallResult result, Duration elapsed) {
        this(capability, args, result, elapsed, Optional.empty());
    }

    public CallOutcome {
        Objects.requireNonNull(det);
        Objects.requireNonNull(capability);
        Objects.requireNonNull(args);
        Objects.requireNonNull(result);
        Objects.requireNonNull(elapsed);
    }
}
