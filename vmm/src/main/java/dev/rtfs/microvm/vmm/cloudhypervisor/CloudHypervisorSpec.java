package dev.rtfs.microvm.vmm.cloudhypervisor;

import dev.rtfs.microvm.vmm.api.ApiCall;
import java.util.List;
import java.util.Objects;

/**
 * One Cloud Hypervisor VM in its two equivalent forms: {@code vm.create} body + API calls (after starting
 * {@code launchArgv}, which only opens the API socket), or a single command line ({@code cliArgv}).
 * With a NIC both argvs run inside the egress proxy's network namespace ({@code ip netns exec}), where the tap is.
 */
public record CloudHypervisorSpec(
        VmConfig vmConfig, List<ApiCall> apiCalls, List<String> launchArgv, List<String> cliArgv, String apiSocket) {

    public CloudHypervisorSpec {
        Objects.requireNonNull(vmConfig);
        apiCalls = List.copyOf(apiCalls);
        launchArgv = List.copyOf(launchArgv);
        cliArgv = List.copyOf(cliArgv);
        Objects.requireNonNull(apiSocket);
    }
}
