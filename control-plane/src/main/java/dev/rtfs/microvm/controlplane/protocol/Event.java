package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** One causal-chain event; {@code seq} counts from 1 per (agent, boot) and is how the host drops duplicates. */
public record Event(long seq, String kind, String step, JsonNode data) implements GuestMessage {
    public static final String TYPE = "event";

    public Event {
        if (seq < 1) throw new IllegalArgumentException("seq < 1");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
