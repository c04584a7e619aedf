package dev.rtfs.microvm.supervisor;

import java.time.Duration;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** One call of a step as it was sent and answered. */
record CallOutcome(String capability, JsonNode args, CallResult result, Duration elapsed) {

    public CallOutcome {
        Objects.requireNonNull(capability);
        Objects.requireNonNull(args);
        Objects.requireNonNull(result);
        Objects.requireNonNull(elapsed);
    }
}
