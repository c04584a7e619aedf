package dev.rtfs.microvm.vmm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP/1.1 request to a hypervisor API socket.
 *
 * @param body null for a request without a body (Cloud Hypervisor {@code vm.boot})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiCall(String method, String path, JsonNode body) {
    public ApiCall {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
    }

    public static ApiCall put(String path, JsonNode body) {
        return new ApiCall("PUT", path, body);
    }
}
