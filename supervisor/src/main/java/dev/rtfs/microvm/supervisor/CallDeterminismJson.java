package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which randomness and which clock a call had, as the chain and the run report record it:
 * {@code {"random":"deterministic","seed","time":"virtual","now_ms","step","call"}}, with {@code "random":"real"}
 * (no seed) or {@code "time":"real"} (no now_ms) for what came from the guest kernel.
 */
final class CallDeterminismJson {

    private CallDeterminismJson() {}

    static ObjectNode toJson(Optional<CallDeterminism> det) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("random", det.flatMap(CallDeterminism::seed).isPresent() ? "deterministic" : "real");
        det.flatMap(CallDeterminism::seed).ifPresent(s -> o.put("seed", s));
        o.put("time", det.filter(d -> d.nowMs().isPresent()).isPresent() ? "virtual" : "real");
        det.filter(d -> d.nowMs().isPresent()).ifPresent(d -> o.put("now_ms", d.nowMs().getAsLong()));
        det.ifPresent(d -> o.put("step", d.step()).put("call", d.call()));
        return o;
    }
}
