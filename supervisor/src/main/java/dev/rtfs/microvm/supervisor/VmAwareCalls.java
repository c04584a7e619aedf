package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Calls that fail as soon as the VM exits, rather than at the step's time limit: a guest that died answers
 * nothing, and the run should restart it without waiting.
 */
final class VmAwareCalls implements GuestCalls {

    private final GuestCalls calls;
    private final CompletableFuture<Integer> vmExit;

    VmAwareCalls(GuestCalls calls, CompletableFuture<Integer> vmExit) {
        this.calls = calls;
        this.vmExit = vmExit;
    }

    @Override
    public CompletableFuture<CallResult> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det) {
        return failingOnExit(calls.call(step, capability, args, det));
    }

    @Override
    public CompletableFuture<CallResult> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det,
            CallStep at) {
        return failingOnExit(calls.call(step, capability, args, det, at));
    }

    private CompletableFuture<CallResult> failingOnExit(CompletableFuture<CallResult> result) {
        CompletableFuture<CallResult> died = vmExit.thenApply(code -> CallResult.failed("the VM exited (code " + code + ")"));
        return result.applyToEither(died, r -> r).whenComplete((r, e) -> result.cancel(false));
    }
}
