package dev.rtfs.microvm.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The {@code --config-file} document (schema: {@code #/definitions/FullVmConfiguration}). Top-level keys are
 * kebab-case; nested objects are snake_case. Absent optionals are not written (no nulls).
 *
 * <p>{@code balloon}, {@code cpu-config}, {@code mmds-config}, {@code entropy}, {@code pmem} and
 * {@code memory-hotplug} are never synthesized by us
 * (a balloon would let the host reclaim the guest's memory; the profile needs none of the others); they are
 * kept verbatim only so that upstream example files round-trip through this model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirecrackerConfig(
        @JsonProperty("boot-source") BootSource bootSource,
        @JsonProperty("drives") List<Drive> drives,
        @JsonProperty("machine-config") MachineConfig machineConfig,
        @JsonProperty("cpu-config") JsonNode cpuConfig,
        @JsonProperty("balloon") JsonNode balloon,
        @JsonProperty("network-interfaces") List<NetworkInterface> networkInterfaces,
        @JsonProperty("vsock") FirecrackerVsock vsock,
        @JsonProperty("logger") FirecrackerLogger logger,
        @JsonProperty("metrics") FirecrackerMetrics metrics,
        @JsonProperty("mmds-config") JsonNode mmdsConfig,
        @JsonProperty("entropy") JsonNode entropy,
        @JsonProperty("pmem") JsonNode pmem,
        @JsonProperty("memory-hotplug") JsonNode memoryHotplug) {

    public FirecrackerConfig {
        Objects.requireNonNull(bootSource, "boot-source");
        drives = List.copyOf(drives);
        networkInterfaces = networkInterfaces == null ? null : List.copyOf(networkInterfaces);
        // An explicit JSON null in a file means "absent", as Firecracker reads it.
        cpuConfig = absentIfNull(cpuConfig);
        balloon = absentIfNull(balloon);
        mmdsConfig = absentIfNull(mmdsConfig);
        entropy = absentIfNull(entropy);
        pmem = absentIfNull(pmem);
        memoryHotplug = absentIfNull(memoryHotplug);
    }

    private static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    /** The shape we synthesize: everything we do not set stays absent. */
    public static FirecrackerConfig of(
            BootSource bootSource, List<Drive> drives, MachineConfig machineConfig,
            List<NetworkInterface> networkInterfaces, FirecrackerVsock vsock, FirecrackerLogger logger, FirecrackerMetrics metrics) {
        return new FirecrackerConfig(bootSource, drives, machineConfig, null, null,
                networkInterfaces.isEmpty() ? null : networkInterfaces, vsock, logger, metrics, null, null, null, null);
    }
}
