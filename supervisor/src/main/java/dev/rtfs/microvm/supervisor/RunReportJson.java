package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code run --format json}: {"agent_id","succeeded","attempts","accelerator","run_dir","problem"?,
 * "steps":[{"index","name","status","elapsed_ms","failure"?,"calls":[{"capability","args","ok","value"|"error",
 * "elapsed_ms","determinism":{"random","seed"?,"time","now_ms"?,"step"?,"call"?}}],"egress":[{"method","host","port",
 * "decision","reason","status"}]}],"egress":[{"method","host","port","decision","reason","status","step"}],"chain":{"valid":true,"records","head_seq","head_hash","signed"} | {"valid":false,"seq","reason"}}.
 * Refusals are not here: they print as the diagnostics JSON every command shares.
 */
public final class RunReportJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RunReportJson() {}

    public static ObjectNode toJson(RunReport r) {
        ObjectNode o = JSON.objectNode();
        o.put("agent_id", r.agentId()).put("succeeded", r.succeeded()).put("attempts", r.attempts())
                .put("accelerator", r.accelerator()).put("run_dir", r.runDir().toString());
        r.problem().ifPresent(p -> o.put("problem", p));
        ArrayNode steps = o.putArray("steps");
        for (StepOutcome s : r.steps()) {
            ObjectNode step = steps.addObject().put("index", s.index()).put("name", s.name())
                    .put("status", s.status().name().toLowerCase()).put("elapsed_ms", s.elapsed().toMillis());
            s.failure().ifPresent(f -> step.put("failure", f));
            ArrayNode calls = step.putArray("calls");
            for (CallOutcome c : s.calls()) {
                ObjectNode call = calls.addObject().put("capability", c.capability());
                call.set("args", c.args());
                call.put("ok", c.result().ok());
                c.result().value().ifPresent(v -> call.set("value", v));
                c.result().error().ifPresent(e -> call.put("error", e));
                call.put("elapsed_ms", c.elapsed().toMillis());
                call.set("determinism", CallDeterminismJson.toJson(c.det()));
            }
            ArrayNode stepEgress = step.putArray("egress");
            for (DecisionRecord d : r.egressOf(s.name())) egress(stepEgress, d);
        }
        ArrayNode egress = o.putArray("egress");
        for (DecisionRecord d : r.egress()) egress(egress, d).put("step", d.step().orElse(null));
        r.chain().ifPresent(c -> o.set("chain", switch (c) {
            case VerifyReport.Valid v -> JSON.objectNode().put("valid", true).put("records", v.records())
                    .put("head_seq", v.headSeq()).put("head_hash", v.headHash()).put("signed", v.signed());
            case VerifyReport.Invalid i -> JSON.objectNode().put("valid", false).put("seq", i.seq())
                    .put("reason", i.reason());
        }));
        return o;
    }

    private static ObjectNode egress(ArrayNode into, DecisionRecord d) {
        return into.addObject().put("method", d.method()).put("host", d.host()).put("port", d.port())
                .put("decision", d.outcome()).put("reason", d.reason()).put("status", d.status());
    }

    public static String write(RunReport r) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(r));
    }
}
