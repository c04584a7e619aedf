package dev.rtfs.microvm.supervisor;

import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** What the guest answered to one call: a value, or an error. */
record CallResult(Optional<JsonNode> value, Optional<String> error) {

    public CallResult {
        Objects.requireNonNull(value);
        Objects.requireNonNull(error);
        if (value.isPresent() == error.isPresent()) {
            throw new IllegalArgumentException("a call result is either a value or an error");
        }
    }

    public static CallResult ok(JsonNode value) {
        return new CallResult(Optional.of(value), Optional.empty());
    }

    public static CallResult failed(String error) {
        return new CallResult(Optional.empty(), Optional.of(error));
    }

    public boolean ok() {
        return value.isPresent();
    }
}
