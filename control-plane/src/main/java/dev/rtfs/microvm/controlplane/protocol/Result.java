package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** Answer to a {@link Call}: either {@code ok=true} with a {@code value}, or {@code ok=false} with an {@code error}. */
public record Result(String callId, boolean ok, JsonNode value, String error) implements GuestMessage {
    public static final String TYPE = "result";

    public Result {
        Objects.requireNonNull(callId, "callId");
        if (ok && (value == null || error != null)) throw new IllegalArgumentException("ok result needs value only");
        if (!ok && (error == null || value != null)) throw new IllegalArgumentException("failed result needs error only");
    }

    public static Result success(String callId, JsonNode value) {
        return new Result(callId, true, value, null);
    }

    public static Result failure(String callId, String error) {
        return new Result(callId, false, null, error);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
