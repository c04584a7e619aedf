package dev.rtfs.microvm.vmm.api;

import java.io.IOException;

/**
 * One request/response exchange with a hypervisor's API socket. The seam between the supervisor's launch logic
 * and the real socket ({@link UnixSocketHttpClient}); tests put a fake Firecracker behind it.
 */
@FunctionalInterface
interface HypervisorApi {
    ApiResponse send(ApiCall call) throws IOException;
}
