package dev.rtfs.microvm.orchestrator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.ClientCert;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.egresspolicy.acl.InjectedHeader;
import dev.rtfs.microvm.egresspolicy.acl.SecretRef;
import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import dev.rtfs.microvm.orchestrator.capability.CapabilityCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent-level ACL carries the config's TLS rules and, under interception, its credentials as references. */
class AgentEgressAclTest {

    static final String PIN = "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    static AgentPolicy policy(EgressTls tls) {
        return new AgentPolicy("agent.t", true, true, List.of("api.example.com", "*.pinned.org"), false, false,
                DlpMode.STRICT, CapabilityCatalog.OPEN, tls);
    }

    @Test
    void anInterceptingAgentsAclHasItsModePassthroughPinsCaAndClientCertificates() {
        EgressTls tls = new EgressTls(TlsMode.INTERCEPT, List.of("app.pinned.org"), List.of(PIN),
                Optional.of("/etc/rtfs/ca.pem"), Map.of("api.example.com", new ClientCert("/etc/rtfs/c.pem", "/etc/rtfs/c.key")),
                List.of(new CredentialReference("api.example.com", "Authorization",
                        new CredentialReference.Source.Env("API_TOKEN"), "Bearer ")));
        AgentAcl acl = AgentEgressAcl.of(policy(tls), List.of());
        assertThat(acl.tls()).isEqualTo(new TlsRules(TlsMode.INTERCEPT, List.of("app.pinned.org"),
                Map.of("api.example.com", List.of(PIN), "*.pinned.org", List.of(PIN)), Optional.of("/etc/rtfs/ca.pem"),
                Map.of("api.example.com", new ClientCert("/etc/rtfs/c.pem", "/etc/rtfs/c.key"))));
        assertThat(acl.injectHeaders()).as("the credential as a reference the proxy resolves on the host")
                .isEqualTo(Map.of("api.example.com", List.of(new InjectedHeader("Authorization",
                        new SecretRef.Env("API_TOKEN"), "Bearer "))));
    }

    @Test
    void credentialsOfADomainOutsideTheAllowlistOrWithoutInterceptionAreNotInjected() {
        CredentialReference elsewhere = new CredentialReference("other.example.net", "X-Key",
                new CredentialReference.Source.File("/run/secrets/key"), "");
        EgressTls intercept = new EgressTls(TlsMode.INTERCEPT, List.of(), List.of(), Optional.empty(), Map.of(),
                List.of(elsewhere));
        assertThat(AgentEgressAcl.of(policy(intercept), List.of()).injectHeaders()).isEmpty();
        EgressTls tunnel = new EgressTls(TlsMode.TUNNEL, List.of(), List.of(), Optional.empty(), Map.of(),
                List.of(new CredentialReference("api.example.com", "X-Key",
                        new CredentialReference.Source.File("/run/secrets/key"), "")));
        assertThat(AgentEgressAcl.of(policy(tunnel), List.of()).injectHeaders()).isEmpty();
    }

    @Test
    void theRunsUpstreamCaReplacesTheConfigsUnderInterceptionAndIsInertUnderTunnel() {
        EgressTls intercept = new EgressTls(TlsMode.INTERCEPT, List.of(), List.of(), Optional.of("/etc/rtfs/ca.pem"),
                Map.of(), List.of());
        assertThat(AgentEgressAcl.of(policy(intercept), List.of(), Optional.of(Path.of("/tmp/demo/demo-ca.pem")))
                .tls().upstreamCa()).contains("/tmp/demo/demo-ca.pem");
        assertThat(AgentEgressAcl.of(policy(intercept), List.of(), Optional.empty()).tls().upstreamCa())
                .contains("/etc/rtfs/ca.pem");
        EgressTls tunnel = new EgressTls(TlsMode.TUNNEL, List.of(), List.of(), Optional.empty(), Map.of(), List.of());
        assertThat(AgentEgressAcl.of(policy(tunnel), List.of(), Optional.of(Path.of("/tmp/demo/demo-ca.pem"))).tls())
                .isEqualTo(TlsRules.TUNNEL);
    }

    @Test
    void aTunnellingAgentKeepsTheTunnelDefaultEvenWithPins() {
        EgressTls tls = new EgressTls(TlsMode.TUNNEL, List.of(), List.of(PIN), Optional.empty(), Map.of(), List.of());
        assertThat(AgentEgressAcl.of(policy(tls), List.of()).tls()).isEqualTo(TlsRules.TUNNEL);
    }

    @Test
    void withoutTheNicTheAclDeniesAllAndInterceptsNothing() {
        EgressTls tls = new EgressTls(TlsMode.INTERCEPT, List.of(), List.of(PIN), Optional.empty(), Map.of(), List.of());
        AgentPolicy offline = new AgentPolicy("agent.t", true, false, List.of("api.example.com"), false, false,
                DlpMode.STRICT, CapabilityCatalog.OPEN, tls);
        AgentAcl acl = AgentEgressAcl.of(offline, List.of());
        assertThat(acl.allowDomains()).isEmpty();
        assertThat(acl.tls().pins()).isEmpty();
    }
}
