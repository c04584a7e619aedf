package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.chain.ChainEntry;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ValueFiles;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import dev.rtfs.microvm.orchestrator.profile.StepProfileJson;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The run's journal in the causal chain: {@code step.started} (data: the step profile, so the chain says which
 * ACL was in force) and {@code step.finished} (status, each call with its result and its determinism: seeded or
 * kernel random, virtual or real time, with the seed and the virtual now_ms; the failure), both under the
 * agent and plan id. A call value of 64 KiB and more is kept in a value file of the chain ({@code value_ref} in the
 * call, listed in {@code value_files}: control-plane/PROTOCOL.md, "Large values"). Appends wait until the record is durable. What completed is also kept here, so a restart of
 * the VM within one run continues after it.
 */
final class ChainJournal implements StepJournal {

    public static final String STARTED = "step.started";
    public static final String FINISHED = "step.finished";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ChainStore chain;
    private final String agentId;
    private final String planId;
    private final Set<String> completed = new HashSet<>();

    public ChainJournal(ChainStore chain, String agentId, String planId) {
        this.chain = chain;
        this.agentId = agentId;
        this.planId = planId;
    }

    @Override
    public synchronized Set<String> completedSteps() {
        return Set.copyOf(completed);
    }

    @Override
    public void started(StepProfile profile) {
        append(STARTED, profile.step(), StepProfileJson.toJson(profile));
    }

    @Override
    public void finished(StepOutcome o) {
        ObjectNode data = JSON.objectNode();
        data.put("index", o.index()).put("status", o.status().name()).put("elapsed_ms", o.elapsed().toMillis());
        ArrayNode calls = data.putArray("calls");
        ArrayNode valueFiles = JSON.arrayNode();
        for (CallOutcome c : o.calls()) {
            ObjectNode call = calls.addObject().put("capability", c.capability());
            call.set("args", c.args());
            call.put("ok", c.result().ok()).put("elapsed_ms", c.elapsed().toMillis());
            c.result().value().ifPresent(v -> {
                Optional<ObjectNode> ref = storeIfLarge(v);
                ref.ifPresentOrElse(r -> {
                    call.set(ValueFiles.REF, r);
                    valueFiles.add(r);
                }, () -> call.set("value", v));
            });
            c.result().error().ifPresent(e -> call.put("error", e));
            call.set("determinism", CallDeterminismJson.toJson(c.det()));
        }
        o.failure().ifPresent(f -> data.put("failure", f));
        if (!valueFiles.isEmpty()) data.set(ValueFiles.LISTED, valueFiles);
        append(FINISHED, o.name(), data);
        if (o.status() == StepStatus.COMPLETED) {
            synchronized (this) {
                completed.add(o.name());
            }
        }
    }

    /** A large value (64 KiB and more) goes to a value file beside the segments; the record holds its hash. */
    private Optional<ObjectNode> storeIfLarge(JsonNode value) {
        try {
            return ValueFiles.storeIfLarge(chain.directory(), value);
        } catch (IOException e) {
            throw new IllegalStateException("the causal chain could not keep a large call result: " + e.getMessage(), e);
        }
    }

    private void append(String kind, String step, ObjectNode data) {
        try {
            chain.append(new ChainEntry(kind, agentId, planId, step, data, null)).join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the causal chain refused a " + kind + " record: " + e.getCause(), e.getCause());
        }
    }
}
