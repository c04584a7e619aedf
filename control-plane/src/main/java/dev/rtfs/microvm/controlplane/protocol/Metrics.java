package dev.rtfs.microvm.controlplane.protocol;

import java.util.Map;
import java.util.Objects;

/** The guest's own counters (name to number); the host keeps the latest and answers with {@link MetricsReport}. */
public record Metrics(Map<String, Double> values) implements GuestMessage {
    public static final String TYPE = "metrics";

    public Metrics {
        values = Map.copyOf(Objects.requireNonNull(values, "values"));
    }

    @Override
    public String type() {
        return TYPE;
    }
}
