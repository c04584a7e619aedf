package dev.rtfs.microvm.orchestrator.admission;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.InjectedHeader;
import dev.rtfs.microvm.egresspolicy.acl.SecretRef;
import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent-level ACL the proxy is given for a run: the config's allowlist, DLP mode and TLS rules (interception,
 * passthrough, pins, upstream CA, client certificates: {@link EgressTls}), the
 * usual methods and port 443, and under interception the credentials the proxy injects ({@code inject_headers}: the
 * config's references, resolved by the proxy on the host; a step ACL inherits them). It is the outer bound only: the
 * proxy enforces agent ACL ∩ step ACL, and between steps nothing.
 */
public final class AgentEgressAcl {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private AgentEgressAcl() {}

    public static AgentAcl of(AgentPolicy policy, List<String> allowRanges) {
        return of(policy, allowRanges, Optional.empty());
    }

    /**
     * As {@link #of(AgentPolicy, List)}, with {@code upstreamCa} (a run's override of it, e.g. the demo's test origin CA)
     * in place of the config's {@code :upstream_ca}; like it, inert under tunnel.
     */
    public static AgentAcl of(AgentPolicy policy, List<String> allowRanges, Optional<Path> upstreamCa) {
        List<String> domains = policy.networkEnabled() && policy.nicEnabled() ? policy.allowDomains() : List.of();
        EgressTls t = policy.tls();
        EgressTls tls = upstreamCa.map(ca -> new EgressTls(t.mode(), t.passthrough(), t.pins(), Optional.of(ca.toString()),
                t.clientCerts(), t.credentials())).orElse(t);
        return AgentAcl.builder(policy.agentId()).allowDomains(domains).allowMethods(METHODS).allowRanges(allowRanges)
                .dlp(policy.dlp()).tls(tls.rules(domains))
                .injectHeaders(injected(policy, domains)).build();
    }

    /** The credentials of the allowed domains as the proxy's {@code inject_headers}; none unless intercepting. */
    static Map<String, List<InjectedHeader>> injected(AgentPolicy policy, List<String> domains) {
        Map<String, List<InjectedHeader>> out = new LinkedHashMap<>();
        if (policy.tls().mode() != TlsMode.INTERCEPT) return out;
        for (CredentialReference c : policy.tls().credentialsFor(domains)) {
            SecretRef source = switch (c.source()) {
                case CredentialReference.Source.Env e -> new SecretRef.Env(e.name());
                case CredentialReference.Source.File f -> new SecretRef.SecretFile(f.path());
            };
            out.computeIfAbsent(c.domain(), d -> new ArrayList<>())
                    .add(new InjectedHeader(c.header(), source, c.prefix()));
        }
        return out;
    }
}
