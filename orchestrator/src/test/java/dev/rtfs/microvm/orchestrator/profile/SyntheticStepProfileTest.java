package dev.rtfs.microvm.orchestrator.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import dev.rtfs.microvm.orchestrator.plan.Plan;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The seed's synthetic step (network + fs + determinism effects) gives exactly the expected profile. */
class SyntheticStepProfileTest {

    static final String PLAN = """
            (plan
              ^{:effects [[:network {:domains ["api.example.com" "example.com"] :methods [:GET :POST] :ports [443 8443]}]
                          [:fs {:paths ["/tmp/agent"] :modes [:read :write]}]
                          [:random] [:clock]]
                :resources {:max_time_ms 30000}
                :determinism {:time :deterministic :random {:seed "0x2a"}}}
              :program
              (do
                (step "Prepare" (call :echo {:msg "start"}))
                (step "Synthesize"
                  ^{:effects [[:network {:domains ["api.example.com"] :methods [:POST] :ports [8443]}]
                              [:fs {:paths ["/tmp/agent/out" "/tmp/agent/out/cache"] :modes [:write]}]
                              [:random]
                              [:clock]]
                    :resources {:max_time_ms 5000}}
                  (let [t (call :clock.now {})
                        n (call :random.int {:max 100})]
                    (call :http.post {:url "https://api.example.com:8443/jobs" :body n})
                    (call :fs.write {:path "/tmp/agent/out/job.json" :content t})))))
            """;

    @Test
    void synthesizedStepYieldsTheExpectedRecordAndJson() {
        AdmissionResult r = Plans.admit(PLAN);
        assertThat(r.diagnostics()).as(Plans.describe(r.diagnostics())).isEmpty();
        StepProfile expected = new StepProfile("Synthesize", 1,
                new StepProfile.NetworkAcl(List.of("api.example.com"), List.of("POST"), List.of(443, 8443), DlpMode.STRICT),
                new StepProfile.FsPolicy("/tmp/agent/steps/1", "ro", List.of("/tmp/agent/out")),
                new StepProfile.DeterminismProfile("deterministic", "deterministic", Optional.of("0x2a")),
                new StepProfile.FeatureGates(false, false),
                new StepProfile.Limits(OptionalLong.of(5000)));
        assertThat(r.profiles().get(1)).isEqualTo(expected);
        assertThat(StepProfileJson.write(expected)).isEqualTo("""
                {"step":"Synthesize","index":1,\
                "network_acl":{"allow_domains":["api.example.com"],"allow_methods":["POST"]},\
                "fs_policy":{"workdir":"/tmp/agent/steps/1","capabilities_mount":"ro","allowed_paths":["/tmp/agent/out"]},\
                "determinism":{"time":"deterministic","random":"deterministic","seed":"0x2a"},\
                "feature_gates":{"llm":false,"gpu":false},\
                "limits":{"max_time_ms":5000}}""");

        Plan plan = r.plan().orElseThrow();
        assertThat(StepProfiles.derive(plan, plan.steps().get(1), Plans.AGENT)).isEqualTo(expected);
    }

    @Test
    void stepAclIsWhatTheProxyConsumesAndDenyAllWithoutNetwork() {
        AdmissionResult r = Plans.admit(PLAN);
        AgentAcl acl = r.profiles().get(1).toAgentAcl("agent.a");
        assertThat(acl.agentId()).isEqualTo("agent.a");
        assertThat(acl.step()).contains("Synthesize");
        assertThat(acl.allowDomains()).containsExactly("api.example.com");
        assertThat(acl.allowMethods()).containsExactly("POST");
        assertThat(acl.connectPorts()).containsExactly(443, 8443);
        assertThat(acl.dlp()).isEqualTo(DlpMode.STRICT);
        assertThat(acl.allowRanges()).isEmpty();

        StepProfile prepare = r.profiles().get(0);
        assertThat(prepare.networkAcl().deniesAll()).isTrue();
        assertThat(StepProfileJson.toJson(prepare).get("network_acl").toString())
                .isEqualTo("{\"allow_domains\":[],\"allow_methods\":[]}");
        AgentAcl deny = prepare.toAgentAcl("agent.a");
        assertThat(deny.deniesAll()).isTrue();
        assertThat(deny.step()).contains("Prepare");
        assertThat(prepare.determinism().random()).as("no :random effect, no seed").isEqualTo("real");
        assertThat(prepare.limits().maxTimeMs()).hasValue(30000);
    }

    @Test
    void lenientDlpAndGatesComeFromThePolicy() {
        String text = """
                (plan ^{:effects [[:llm {:models ["small"]}] :gpu]}
                  :program (step "Think" ^{:effects [[:llm {:models ["small"]}] :gpu]} (call :llm.complete {:model "small"})))
                """;
        AgentPolicy policy = new AgentPolicy("agent.b", true, true, List.of("example.com"), true, true, DlpMode.LENIENT);
        AdmissionResult r = Plans.admit(text, policy);
        assertThat(r.diagnostics()).as(Plans.describe(r.diagnostics())).isEmpty();
        StepProfile p = r.profiles().get(0);
        assertThat(p.featureGates()).isEqualTo(new StepProfile.FeatureGates(true, true));
        assertThat(p.limits().maxTimeMs()).isEmpty();
        assertThat(StepProfileJson.toJson(p).get("limits").toString()).isEqualTo("{\"max_time_ms\":null}");
        assertThat(p.toAgentAcl("agent.b").dlp()).isEqualTo(DlpMode.LENIENT);
    }
}
