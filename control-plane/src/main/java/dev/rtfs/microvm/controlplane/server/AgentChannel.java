package dev.rtfs.microvm.controlplane.server;

import dev.rtfs.microvm.controlplane.protocol.Call;
import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.protocol.Shutdown;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * The supervisor's handle on one agent's control channel; it outlives reconnects. Calls wait for their result by
 * {@code call_id}, whichever connection the result arrives on.
 */
public final class AgentChannel {
    private final String agentId;
    private final Map<String, CompletableFuture<Result>> pending = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private volatile GuestConnection current;
    private volatile Hello currentHello;
    private volatile CompletableFuture<Hello> nextHello = new CompletableFuture<>();
    private volatile String planId;
    private volatile Map<String, Double> guestMetrics = Map.of();

    AgentChannel(String agentId) {
        this.agentId = agentId;
    }

    public String agentId() {
        return agentId;
    }

    /** Completes with the hello of the connected guest, or of the next one to connect. */
    public CompletableFuture<Hello> awaitHello() {
        GuestConnection c = current;
        Hello h = currentHello;
        if (c != null && c.isOpen() && h != null) return CompletableFuture.completedFuture(h);
        return nextHello;
    }

    public boolean connected() {
        GuestConnection c = current;
        return c != null && c.isOpen();
    }

    /** Plan id written into the chain records of this agent's events from now on. */
    public void planId(String id) {
        this.planId = id;
    }

    public String planId() {
        return planId;
    }

    public Map<String, Double> guestMetrics() {
        return guestMetrics;
    }

    /** Sends a call to the connected guest; the future completes with its result (or fails if it cannot be sent). */
    public CompletableFuture<Result> call(String step, String capability, JsonNode args) {
        return call(step, capability, args, Optional.empty());
    }

    /** As {@link #call(String, String, JsonNode)}, with the call's determinism context when its step has one. */
    public CompletableFuture<Result> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det) {
        return call(step, capability, args, det, Optional.empty());
    }

    /** As {@link #call(String, String, JsonNode, Optional)}, telling the guest the step's index and time left. */
    public CompletableFuture<Result> call(String step, String capability, JsonNode args, Optional<CallDeterminism> det,
            Optional<CallStep> at) {
        String callId = "c" + calls.incrementAndGet();
        CompletableFuture<Result> result = new CompletableFuture<>();
        pending.put(callId, result);
        result.whenComplete((r, e) -> pending.remove(callId));
        GuestConnection c = current;
        try {
            if (c == null || !c.isOpen()) throw new IOException("agent " + agentId + ": no guest connected");
            c.send(new Call(callId, step, capability, args, det, at));
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    public void shutdown(String reason) throws IOException {
        GuestConnection c = current;
        if (c == null || !c.isOpen()) throw new IOException("agent " + agentId + ": no guest connected");
        c.send(new Shutdown(reason));
    }

    void attached(GuestConnection connection, Hello hello) {
        current = connection;
        currentHello = hello;
        CompletableFuture<Hello> waiting = nextHello;
        nextHello = new CompletableFuture<>();
        waiting.complete(hello);
    }

    void detached(GuestConnection connection) {
        if (current == connection) current = null;
    }

    /** False when no call with that id is waiting. */
    boolean resolve(Result result) {
        CompletableFuture<Result> f = pending.get(result.callId());
        return f != null && f.complete(result);
    }

    void metrics(Map<String, Double> values) {
        guestMetrics = values;
    }
}
