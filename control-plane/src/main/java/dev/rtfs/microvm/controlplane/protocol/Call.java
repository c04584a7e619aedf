package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** Ask the guest to invoke one admitted capability for one plan step; answered by a {@link Result}. */
public record Call(String callId, String step, String capability, JsonNode args) implements HostMessage {
    public static final String TYPE = "call";

    public Call {
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
