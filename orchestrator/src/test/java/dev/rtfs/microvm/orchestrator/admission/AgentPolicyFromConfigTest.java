package dev.rtfs.microvm.orchestrator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.plan.PlanReader;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The policy comes from a real, evaluated agent config; the docs example plan is admitted against it. */
class AgentPolicyFromConfigTest {

    static final String CONFIG = """
            (agent.config
              :version "0.1.0" :agent-id "agent.t"
              :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                             :dlp {:enabled true :policy %s}}
              :network {:enabled %s :egress {:via :proxy :allow-domains ["example.com" "*.Example.org"]}}
              :microvm {:kernel {:image "k"} :rootfs {:image "r" :ro true} :resources {:vcpus 1 :mem_mb 256}
                        :devices {:nic {:enabled true :proxy_ns "ns"} :vsock {:enabled true :cid 3}}}
              %s)
            """;

    static AgentPolicy policy(String dlp, boolean network, String capabilities) {
        ConfigCheckResult r = ConfigLoader.load(List.of(),
                new SourceFile("agent.config.rtfs", CONFIG.formatted(dlp, network, capabilities)));
        assertThat(r.config()).as(r.diagnostics().toString()).isPresent();
        return AgentPolicy.from(r.config().get());
    }

    @Test
    void policyReflectsTheConfig() {
        assertThat(policy(":strict", true, "")).isEqualTo(new AgentPolicy("agent.t", true, true,
                List.of("*.example.org", "example.com"), false, false, DlpMode.STRICT));
        assertThat(policy(":lenient", false, "").networkEnabled()).isFalse();
        assertThat(policy(":lenient", true, "").dlp()).isEqualTo(DlpMode.LENIENT);
        AgentPolicy caps = policy(":strict", true,
                ":capabilities {:llm {:enabled true} :http {:enabled true :egress {:allow-domains [\"api.example.org\"]}}}");
        assertThat(caps.llmEnabled()).isTrue();
        assertThat(caps.gpuEnabled()).isFalse();
        assertThat(caps.allowDomains()).as("the http capability narrows the network allowlist").containsExactly("api.example.org");
        assertThat(policy(":strict", true, ":capabilities {:http {:enabled false}}").networkEnabled()).isFalse();
    }

    @Test
    void docsExamplePlanIsAdmittedForTheExampleAgentAndTheCommentedStepGetsItsCode() throws IOException {
        Path root = RepoRoot.path();
        Path configFile = root.resolve("docs/examples/agent.config.microvm.rtfs");
        Path planFile = root.resolve("docs/examples/plan.networked.rtfs");
        RepoRoot.require(Files.isRegularFile(configFile), "missing " + configFile);
        ConfigCheckResult config = ConfigLoader.load(List.of(), new SourceFile(configFile.toString(), Files.readString(configFile)));
        assertThat(config.valid()).as(config.diagnostics().toString()).isTrue();
        AgentPolicy policy = AgentPolicy.from(config.config().orElseThrow());
        assertThat(policy.allowDomains()).containsExactly("example.com");

        String planText = Files.readString(planFile);
        AdmissionResult r = Admission.admit(PlanReader.read(new SourceFile(planFile.toString(), planText)), policy);
        assertThat(r.diagnostics()).as(Plans.describe(r.diagnostics())).isEmpty();
        assertThat(r.profiles()).extracting(StepProfile::step).containsExactly("fetch-index", "store-index", "sample");
        assertThat(r.profiles().get(0).networkAcl().allowDomains()).containsExactly("example.com");
        assertThat(r.profiles().get(1).fsPolicy().allowedPaths()).containsExactly("/tmp/agent/steps/1");
        assertThat(r.profiles().get(1).networkAcl().deniesAll()).isTrue();
        assertThat(r.profiles().get(2).determinism().seed()).contains("0x2a");

        // Uncomment the refused step: it gets the codes its comment names.
        String uncommented = planText.lines()
                .map(l -> l.startsWith("    ;; (step") || l.startsWith("    ;;   (call") ? l.replaceFirst(";; ", "") : l)
                .collect(Collectors.joining("\n"));
        AdmissionResult refused = Admission.admit(PlanReader.read(new SourceFile("refused.rtfs", uncommented)), policy);
        assertThat(refused.errors()).extracting(d -> d.code().name())
                .containsExactlyInAnyOrder("ADMISSION_DOMAIN_DENIED", "ADMISSION_EFFECT_NOT_IN_PLAN");
        assertThat(refused.errors()).allSatisfy(d -> assertThat(d.path()).startsWith("steps.exfiltrate"));
    }
}
