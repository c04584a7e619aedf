package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Optional;

/** {@code :capabilities.http.egress {:allow-domains [...] :mtls bool}}. */
public record HttpEgress(
        Optional<Located<List<Located<String>>>> allowDomains, Optional<Located<Boolean>> mtls, Span keySpan, Span span)
        implements Section {

    public HttpEgress {
        allowDomains = Lists.copy(allowDomains);
    }
}
