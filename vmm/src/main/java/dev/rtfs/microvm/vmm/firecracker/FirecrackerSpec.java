package dev.rtfs.microvm.vmm.firecracker;

import dev.rtfs.microvm.vmm.api.ApiCall;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to start one Firecracker VM, in two equivalent forms: the {@code --config-file} document,
 * or an empty Firecracker configured through {@code apiCalls} (InstanceStart last). {@code jailerArgv} starts
 * the process under the jailer with its tap in the egress proxy's network namespace.
 *
 * @param apiSocket        Firecracker's {@code --api-sock} path (in the run dir) when started directly
 * @param configFile       where the supervisor writes {@link #config()} for {@code configFileArgv}
 * @param configFileArgv   starts Firecracker directly from the config file (no API calls needed)
 * @param jailedApiSocket  the API socket when started by {@code jailerArgv}: inside the jailer's chroot
 */
public record FirecrackerSpec(
        FirecrackerConfig config, List<ApiCall> apiCalls, List<String> jailerArgv, String apiSocket,
        String configFile, List<String> configFileArgv, String jailedApiSocket) {

    public FirecrackerSpec {
        Objects.requireNonNull(config);
        apiCalls = List.copyOf(apiCalls);
        jailerArgv = List.copyOf(jailerArgv);
        Objects.requireNonNull(apiSocket);
        Objects.requireNonNull(configFile);
        configFileArgv = List.copyOf(configFileArgv);
        Objects.requireNonNull(jailedApiSocket);
    }
}
