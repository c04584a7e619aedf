package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** The guest end of the control channel as the executor sees it: a call in, a result out. */
interface GuestCalls {

    /** {@code det} is the call's determinism context, present only in a step whose random or time is deterministic. */
    CompletableFuture<CallResult> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det);

    /**
     * As {@link #call(String, String, JsonNode, Optional)}, telling the guest the step's index (a user capability's
     * workdir) and the time left of the step (when the guest kills it). Ends that do not pass it on drop it.
     */
    default CompletableFuture<CallResult> call(String step, String capability, JsonNode args,
            Optional<CallDeterminism> det, CallStep at) {
        return call(step, capability, args, det);
    }
}
