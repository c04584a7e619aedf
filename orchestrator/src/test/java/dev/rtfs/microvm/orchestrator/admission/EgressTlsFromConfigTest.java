package dev.rtfs.microvm.orchestrator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.ClientCert;
import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import dev.rtfs.microvm.orchestrator.profile.StepProfileJson;
import dev.rtfs.microvm.orchestrator.profile.StepProfileTable;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config's TLS egress fields reach the step's proxy ACL (credentials only as typed references) and its profile. */
class EgressTlsFromConfigTest {

    static final String PIN = "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    static final String CONFIG = """
            (agent.config
              :version "0.1.0" :agent-id "agent.t"
              :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                             :dlp {:enabled true :policy :strict}}
              :network {:enabled true
                        :egress {:via :proxy :allow-domains ["api.example.com" "pinned.example.com" "other.org"]
                                 %s}}
              :microvm {:kernel {:image "k"} :rootfs {:image "r" :ro true} :resources {:vcpus 1 :mem_mb 256}
                        :devices {:nic {:enabled true :proxy_ns "ns"} :vsock {:enabled true :cid 3}}})
            """;

    static final String EVERY_FIELD = """
            :mtls true :tls_pins ["%s" "sha256/..."]
            :tls :intercept
            :tls_passthrough ["pinned.example.com"] :tls_passthrough_waiver ["pinned.example.com"]
            :upstream_ca "/etc/rtfs/upstream-ca.pem"
            :client_cert {"api.example.com" {:cert "/etc/rtfs/client.pem" :key "/etc/rtfs/client.key"}}
            :credentials {"api.example.com" [{:header "Authorization" :env "API_TOKEN" :prefix "Bearer "}
                                             {:header "X-Key" :file "/run/secrets/key"}]
                          "other.org" [{:header "X-Other" :env "OTHER"}]}""".formatted(PIN);

    static final String PLAN = """
            (plan
              ^{:effects [[:network {:domains ["api.example.com" "pinned.example.com"] :methods [:GET :POST]}]]}
              :program (do (step "call" ^{:effects [[:network {:domains ["api.example.com" "pinned.example.com"]
                                                                :methods [:POST]}]]}
                             (call :http.post {:url "https://api.example.com/v1"}))))
            """;

    static AgentPolicy policy(String egress) {
        ConfigCheckResult r = ConfigLoader.load(List.of(), new SourceFile("agent.config.rtfs", CONFIG.formatted(egress)));
        assertThat(r.valid()).as(r.diagnostics().toString()).isTrue();
        return AgentPolicy.from(r.config().orElseThrow());
    }

    static StepProfile profile(AgentPolicy policy) {
        AdmissionResult admitted = Plans.admit(PLAN, policy);
        assertThat(admitted.errors()).isEmpty();
        return admitted.profiles().getFirst();
    }

    @Test
    void theStepAclInterceptsWithEveryTlsRuleOfTheConfig() {
        StepProfile p = profile(policy(EVERY_FIELD));
        AgentAcl acl = p.toAgentAcl("agent.t");
        assertThat(acl.tls().mode()).isEqualTo(TlsMode.INTERCEPT);
        assertThat(acl.tls().passthrough()).containsExactly("pinned.example.com");
        assertThat(acl.tls().pins()).as("real pins for every domain of the step; the placeholder dropped")
                .isEqualTo(Map.of("api.example.com", List.of(PIN), "pinned.example.com", List.of(PIN)));
        assertThat(acl.tls().upstreamCa()).contains("/etc/rtfs/upstream-ca.pem");
        assertThat(acl.tls().clientCerts())
                .isEqualTo(Map.of("api.example.com", new ClientCert("/etc/rtfs/client.pem", "/etc/rtfs/client.key")));
        assertThat(AclCodec.toJson(acl)).contains("\"tls\":\"intercept\"").doesNotContain("API_TOKEN", "/run/secrets/key");
    }

    @Test
    void credentialsTravelAsTypedReferencesForTheStepsDomainsOnly() {
        AgentPolicy policy = policy(EVERY_FIELD);
        assertThat(policy.tls().credentials()).hasSize(3);
        assertThat(profile(policy).networkAcl().credentials()).containsExactly(
                new CredentialReference("api.example.com", "Authorization", new CredentialReference.Source.Env("API_TOKEN"), "Bearer "),
                new CredentialReference("api.example.com", "X-Key", new CredentialReference.Source.File("/run/secrets/key"), ""));
    }

    @Test
    void theProfileShowsInterceptionAndPassthroughInTextAndJson() {
        StepProfile p = profile(policy(EVERY_FIELD));
        assertThat(StepProfileJson.toJson(p).get("network_acl").toString()).isEqualTo(
                "{\"allow_domains\":[\"api.example.com\",\"pinned.example.com\"],\"allow_methods\":[\"POST\"],"
                        + "\"tls\":\"intercept\",\"tls_passthrough\":[\"pinned.example.com\"]}");
        assertThat(StepProfileTable.render(List.of(p))).contains("TLS").contains("intercept, passthrough pinned.example.com");
    }

    @Test
    void aTunnellingConfigKeepsTheProfileContractAndTheTunnelDefault() {
        StepProfile p = profile(policy(""));
        assertThat(p.toAgentAcl("agent.t").tls().mode()).isEqualTo(TlsMode.TUNNEL);
        assertThat(p.toAgentAcl("agent.t").tls().upstreamCa()).isEqualTo(Optional.empty());
        assertThat(StepProfileJson.toJson(p).get("network_acl").has("tls")).isFalse();
        assertThat(StepProfileTable.render(List.of(p))).contains("tunnel");
        assertThat(p.networkAcl().credentials()).isEmpty();
    }
}
