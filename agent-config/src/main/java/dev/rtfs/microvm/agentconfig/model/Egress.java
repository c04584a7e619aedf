package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Optional;

/**
 * {@code :network.egress {:via :proxy :allow-domains [...] :mtls true :tls_pins [...] :tls :intercept
 * :tls_passthrough [...] :tls_passthrough_waiver [...] :upstream_ca "..." :client_cert {...} :credentials {...}}}.
 */
public record Egress(
        Optional<Located<EgressVia>> via,
        Optional<Located<List<Located<String>>>> allowDomains,
        Optional<Located<Boolean>> mtls,
        Optional<Located<List<Located<String>>>> tlsPins,
        Optional<Located<EgressTlsMode>> tls,
        Optional<Located<List<Located<String>>>> tlsPassthrough,
        Optional<Located<List<Located<String>>>> tlsPassthroughWaiver,
        Optional<Located<String>> upstreamCa,
        Optional<Located<List<ClientCertFiles>>> clientCerts,
        Optional<Located<List<CredentialRef>>> credentials,
        Span keySpan,
        Span span) implements Section {

    public Egress {
        allowDomains = Lists.copy(allowDomains);
        tlsPins = Lists.copy(tlsPins);
        tlsPassthrough = Lists.copy(tlsPassthrough);
        tlsPassthroughWaiver = Lists.copy(tlsPassthroughWaiver);
        clientCerts = clientCerts.map(l -> new Located<>(List.copyOf(l.value()), l.span(), l.keySpan()));
        credentials = credentials.map(l -> new Located<>(List.copyOf(l.value()), l.span(), l.keySpan()));
    }

    /** Without the TLS egress fields (configs written before them). */
    public Egress(Optional<Located<EgressVia>> via, Optional<Located<List<Located<String>>>> allowDomains,
            Optional<Located<Boolean>> mtls, Optional<Located<List<Located<String>>>> tlsPins, Span keySpan, Span span) {
        this(via, allowDomains, mtls, tlsPins, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), keySpan, span);
    }

    /** The interception mode; tunnel when not written. */
    public EgressTlsMode tlsMode() {
        return tls.map(Located::value).orElse(EgressTlsMode.TUNNEL);
    }
}
