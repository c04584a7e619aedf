package dev.rtfs.microvm.supervisor;

import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** The guest end of the control channel as the executor sees it: a call in, a result out. */
interface GuestCalls {

    CompletableFuture<CallResult> call(String step, String capability, JsonNode args);
}
