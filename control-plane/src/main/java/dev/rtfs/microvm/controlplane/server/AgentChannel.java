package dev.rtfs.microvm.controlplane.server;

import dev.rtfs.microvm.controlplane.protocol.Call;
import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import dev.rtfs.microvm.controlplane.protocol.ChunkedResult;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.protocol.ResultChunk;
import dev.rtfs.microvm.controlplane.protocol.Shutdown;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The supervisor's handle on one agent's control channel; it outlives reconnects. Calls wait for their result by
 * {@code call_id}, whichever connection the result arrives on.
 */
public final class AgentChannel {
    private final String agentId;
    private final Map<String, CompletableFuture<Result>> pending = new ConcurrentHashMap<>();
    private final Map<String, ChunkAssembly> assemblies = new ConcurrentHashMap<>();
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
        result.whenComplete((r, e) -> {
            pending.remove(callId);
            assemblies.remove(callId);
        });
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
        if (f == null) return false;
        assemblies.remove(result.callId());
        return f.complete(result);
    }

    /**
     * Keeps one slice of a waiting call's chunked result; empty when taken (or ignored: its assembly is already
     * broken), else why it is refused. Only waiting calls have assemblies, so they are bounded by the calls.
     */
    Optional<String> chunk(ResultChunk chunk) {
        if (!pending.containsKey(chunk.callId())) {
            return Optional.of("result_chunk for unknown or finished call_id '" + chunk.callId() + "'");
        }
        return assemblies.computeIfAbsent(chunk.callId(), id -> new ChunkAssembly()).add(chunk)
                .map(p -> "result_chunk refused (the call will fail): " + p);
    }

    /**
     * Resolves a waiting call with the value its chunks make, or fails it with why they make none (then the
     * problem is returned, to tell the guest too). Empty also when no call with that id is waiting: see
     * {@link #waiting(String)}.
     */
    Optional<String> resolveChunked(ChunkedResult done, JsonMapper mapper) {
        ChunkAssembly assembly = assemblies.remove(done.callId());
        Assembled assembled = assembly == null
                ? new Assembled.Refused("a chunked result without chunks") : assembly.finish(done, mapper);
        return switch (assembled) {
            case Assembled.Value v -> {
                resolve(Result.success(done.callId(), v.value()));
                yield Optional.empty();
            }
            case Assembled.Refused r -> {
                resolve(Result.failure(done.callId(), "the guest's chunked result was refused: " + r.problem()));
                yield Optional.of("chunked result refused: " + r.problem());
            }
        };
    }

    boolean waiting(String callId) {
        return pending.containsKey(callId);
    }

    void metrics(Map<String, Double> values) {
        guestMetrics = values;
    }
}
