package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** {@code metrics} (schema: {@code #/definitions/Metrics}). */
public record FirecrackerMetrics(@JsonProperty("metrics_path") String metricsPath) {
    public FirecrackerMetrics {
        Objects.requireNonNull(metricsPath, "metrics_path");
    }
}
