package dev.rtfs.microvm.orchestrator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.Seeds;
import dev.rtfs.microvm.orchestrator.effect.Covering;
import dev.rtfs.microvm.orchestrator.plan.Paths;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Profiles never exceed the agent config: checked over generated plans that admission accepts. */
class ProfilesWithinAgentPropertyTest {

    static final int PLANS = 3_000;

    @Test
    void admittedPlansGiveProfilesWithinTheAgentConfig() {
        long seed = Seeds.seed("admittedPlansWithinAgent");
        SplittableRandom random = new SplittableRandom(seed);
        PlanTextGenerator gen = new PlanTextGenerator(random);
        int admitted = 0;
        int networked = 0;
        int refused = 0;
        for (int i = 0; i < PLANS; i++) {
            String text = gen.plan();
            AgentPolicy policy = new AgentPolicy("agent.p", random.nextInt(10) > 0, random.nextInt(10) > 0,
                    List.of("example.com", "*.api.example.com"), random.nextBoolean(), random.nextBoolean(), DlpMode.STRICT);
            AdmissionResult r = Plans.admit(text, policy);
            if (!r.admitted()) {
                refused++;
                assertThat(r.profiles()).isEmpty();
                continue;
            }
            admitted++;
            assertThat(r.profiles()).hasSize(r.plan().orElseThrow().steps().size());
            for (StepProfile p : r.profiles()) {
                String why = "seed " + seed + "\n" + text + p;
                for (String d : p.networkAcl().allowDomains()) {
                    assertThat(policy.allowDomains().stream().anyMatch(a -> Covering.DOMAINS.covers(a, d))).as(why).isTrue();
                }
                if (!p.networkAcl().deniesAll()) {
                    networked++;
                    assertThat(policy.egressPossible()).as(why).isTrue();
                }
                for (String path : p.fsPolicy().allowedPaths()) {
                    assertThat(Paths.isUnder(path, "/tmp/agent") || Paths.isUnder(path, "/agent/capabilities")).as(why).isTrue();
                    assertThat(Paths.hasParentSegment(path)).as(why).isFalse();
                }
                assertThat(p.fsPolicy().workdir()).isEqualTo("/tmp/agent/steps/" + p.index());
                assertThat(p.fsPolicy().capabilitiesMount()).isEqualTo("ro");
                assertThat(!p.featureGates().llm() || policy.llmEnabled()).as(why).isTrue();
                assertThat(!p.featureGates().gpu() || policy.gpuEnabled()).as(why).isTrue();
                if (p.determinism().random().equals("deterministic")) assertThat(p.determinism().seed()).as(why).isPresent();
            }
        }
        System.out.printf("generated plans: %d admitted (%d networked steps), %d refused%n", admitted, networked, refused);
        assertThat(admitted).as("the generator must produce admissible plans").isGreaterThan(PLANS / 20);
        assertThat(networked).isPositive();
        assertThat(refused).isGreaterThan(PLANS / 20);
    }
}
