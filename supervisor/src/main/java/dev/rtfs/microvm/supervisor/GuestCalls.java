package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** The guest end of the control channel as the executor sees it: a call in, a result out. */
interface GuestCalls {

    /** {@code det} is the call's determinism context, present only in a step whose random or time is deterministic. */
    CompletableFuture<CallResult> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det);
}
