package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Optional;

/** {@code :network.egress {:via :proxy :allow-domains [...] :mtls true :tls_pins [...]}}. */
public record Egress(
        Optional<Located<EgressVia>> via,
        Optional<Located<List<Located<String>>>> allowDomains,
        Optional<Located<Boolean>> mtls,
        Optional<Located<List<Located<String>>>> tlsPins,
        Span keySpan,
        Span span) implements Section {

    public Egress {
        allowDomains = Lists.copy(allowDomains);
        tlsPins = Lists.copy(tlsPins);
    }
}
