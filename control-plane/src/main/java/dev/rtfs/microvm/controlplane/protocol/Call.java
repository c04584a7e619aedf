package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Ask the guest to invoke one admitted capability for one plan step; answered by a {@link Result}. {@code det}
 * is the call's determinism context, present only in a step whose random or time is deterministic; {@code at}
 * the step's index and the time left of its limit (see {@link CallStep}).
 */
public record Call(String callId, String step, String capability, JsonNode args, Optional<CallDeterminism> det,
        Optional<CallStep> at) implements HostMessage {
    public static final String TYPE = "call";

    public Call(String callId, String step, String capability, JsonNode args) {
        this(callId, step, capability, args, Optional.empty());
    }

    public Call(String callId, String step, String capability, JsonNode args, Optional<CallDeterminism> det) {
        this(callId, step, capability, args, det, Optional.empty());
    }

    public Call {
        Objects.requireNonNull(det, "det");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(args, "args");
        if (!args.isObject()) throw new IllegalArgumentException("args must be a JSON object");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
