package dev.rtfs.microvm.vmm.firecracker;

import dev.rtfs.microvm.vmm.api.ApiCall;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to start one Firecracker VM, in two equivalent forms: the {@code --config-file} document,
 * or an empty Firecracker configured through {@code apiCalls} (InstanceStart last). {@code jailerArgv} starts
 * the process under the jailer with its tap in the egress proxy's network namespace.
 *
 * @param apiSocket Firecracker's {@code --api-sock} path (in the run dir)
 */
public record FirecrackerSpec(
        FirecrackerConfig config, List<ApiCall> apiCalls, List<String> jailerArgv, String apiSocket) {

    public FirecrackerSpec {
        Objects.requireNonNull(config);
        apiCalls = List.copyOf(apiCalls);
        jailerArgv = List.copyOf(jailerArgv);
        Objects.requireNonNull(apiSocket);
    }
}
