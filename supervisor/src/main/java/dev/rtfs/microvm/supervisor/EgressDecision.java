package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.rtfslang.PrintableText;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One egress decision of a run as the causal chain recorded it ({@code egress.decision}): the step it was made in,
 * the request, the verdict ({@code ALLOW}, {@code DENY} or {@code REPORT}), its reason code and HTTP status.
 */
public record EgressDecision(Optional<String> step, String method, String host, int port, String decision,
        String reason, int status) {

    public EgressDecision {
        Objects.requireNonNull(step);
        Objects.requireNonNull(method);
        Objects.requireNonNull(host);
        Objects.requireNonNull(decision);
        Objects.requireNonNull(reason);
    }

    /** From the data of an {@code egress.decision} chain record. */
    static EgressDecision fromChain(JsonNode data) {
        JsonNode step = data.path("step");
        return new EgressDecision(step.isString() ? Optional.of(step.asString()) : Optional.empty(),
                data.path("method").asString(""), data.path("host").asString(""), data.path("port").asInt(),
                data.path("decision").asString(""), data.path("reason").asString(""), data.path("status").asInt());
    }

    public boolean denied() {
        return decision.equals("DENY");
    }

    /** {@code step fetch-index: GET example.com:80 -> ALLOW (allowed, status 200)}, printable. */
    public String line() {
        return PrintableText.of("step " + step.orElse("-") + ": " + method + " " + host + ":" + port + " -> " + decision
                + " (" + reason + ", status " + status + ")");
    }
}
