package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** {@code metrics} (schema: {@code #/definitions/Metrics}). */
public record Metrics(@JsonProperty("metrics_path") String metricsPath) {
    public Metrics {
        Objects.requireNonNull(metricsPath, "metrics_path");
    }
}
