package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code :governance {:policies {<name> {...}} :keys {:verify "..."}}}; policy names without the colon. */
public record Governance(
        Optional<Located<Map<String, GovernancePolicy>>> policies, Optional<GovernanceKeys> keys, Span keySpan, Span span)
        implements Section {

    public Governance {
        policies = policies.map(p -> new Located<>(Collections.unmodifiableMap(new LinkedHashMap<>(p.value())), p.span(), p.keySpan()));
    }
}
