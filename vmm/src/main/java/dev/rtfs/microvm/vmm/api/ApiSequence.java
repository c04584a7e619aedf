package dev.rtfs.microvm.vmm.api;

import dev.rtfs.microvm.vmm.VmmJson;
import java.io.IOException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Sends an API call sequence in order and stops at the first refusal. Integration point for the supervisor:
 * Firecracker's {@code FirecrackerSpec.apiCalls()} (InstanceStart last) or Cloud Hypervisor's
 * {@code CloudHypervisorSpec.apiCalls()} (vm.create, vm.boot) after the process has opened its API socket.
 */
public final class ApiSequence {

    private ApiSequence() {}

    /** Outcome of a sequence: all accepted, or the first call the hypervisor refused and why. */
    public sealed interface Result {
        record Completed(int calls) implements Result {}

        /** @param faultMessage Firecracker's {@code fault_message} (or the raw body) */
        record Refused(int index, ApiCall call, int status, String faultMessage) implements Result {}
    }

    public static Result run(HypervisorApi api, List<ApiCall> calls) throws IOException {
        for (int i = 0; i < calls.size(); i++) {
            ApiResponse response = api.send(calls.get(i));
            if (!response.success()) {
                return new Result.Refused(i, calls.get(i), response.status(), faultMessage(response.body()));
            }
        }
        return new Result.Completed(calls.size());
    }

    static String faultMessage(String body) {
        try {
            JsonNode node = VmmJson.MAPPER.readTree(body);
            JsonNode fault = node.get("fault_message");
            return fault != null && fault.isString() ? fault.asString() : body;
        } catch (JacksonException e) {
            return body;
        }
    }
}
