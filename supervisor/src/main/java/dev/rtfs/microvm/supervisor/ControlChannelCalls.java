package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import dev.rtfs.microvm.controlplane.server.AgentChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/** {@link GuestCalls} over the control plane: a {@code call} frame out, the guest's {@code result} back. */
final class ControlChannelCalls implements GuestCalls {

    private final AgentChannel channel;

    public ControlChannelCalls(AgentChannel channel) {
        this.channel = channel;
    }

    @Override
    public CompletableFuture<CallResult> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det) {
        return channel.call(step, capability, args, det)
                .thenApply(r -> r.ok() ? CallResult.ok(r.value()) : CallResult.failed(r.error()));
    }

    @Override
    public CompletableFuture<CallResult> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det,
            CallStep at) {
        return channel.call(step, capability, args, det, Optional.of(at))
                .thenApply(r -> r.ok() ? CallResult.ok(r.value()) : CallResult.failed(r.error()));
    }
}
