package dev.rtfs.microvm.orchestrator.capability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans admitted against an image's capabilities: unknown calls and calls beyond a step refused at the call. */
class CapabilityAdmissionTest {

    private static CapabilityCatalog image(Map<String, String> effects) {
        List<Diagnostic> problems = new ArrayList<>();
        CapabilityCatalog c = CapabilityCatalog.fromRecorded(effects, "image.lock", problems);
        assertThat(problems).isEmpty();
        return c;
    }

    private static final CapabilityCatalog IMAGE = image(Map.of(
            "text.wordcount", "[]",
            "web.fetch", "[[:network {:domains [\"example.com\"] :methods [:GET]}]]"));
    private static final AgentPolicy AGENT = Plans.AGENT.withCapabilities(IMAGE);

    private static Diagnostic only(AdmissionResult r, String code) {
        assertThat(r.admitted()).isFalse();
        assertThat(r.errors()).as(Plans.describe(r.diagnostics())).hasSize(1);
        Diagnostic d = r.errors().getFirst();
        assertThat(d.code().name()).isEqualTo(code);
        return d;
    }

    @Test
    void aCallToACapabilityTheImageDoesNotHaveIsRefusedAtTheCall() {
        String text = """
                (plan ^{:effects []} :program (do
                  (step "count" ^{:effects []} (call :text.wordcont {:text "a b"}))))
                """;
        Diagnostic d = only(Plans.admit(text, AGENT), "ADMISSION_CAPABILITY_UNKNOWN");
        assertThat(d.message()).contains(":text.wordcont").contains("text.wordcount");
        assertThat(new int[] {d.span().line(), d.span().column()}).containsExactly(Plans.position(text, "(call :text.wordcont"));
    }

    @Test
    void withoutAnImageTheSameCallIsLeftToTheStepsDeclaration() {
        String text = """
                (plan ^{:effects []} :program (do
                  (step "count" ^{:effects []} (call :text.wordcont {:text "a b"}))))
                """;
        assertThat(Plans.admit(text, Plans.AGENT).admitted()).isTrue();
    }

    @Test
    void aCallWhoseManifestEffectsTheStepDoesNotDeclareIsRefused() {
        String text = """
                (plan ^{:effects [[:network {:domains ["example.com"]}]]} :program (do
                  (step "fetch" ^{:effects [[:network {:domains ["example.com"] :methods [:POST]}]]}
                    (call :web.fetch {}))))
                """;
        Diagnostic d = only(Plans.admit(text, AGENT), "ADMISSION_CAPABILITY_EXCEEDS");
        assertThat(d.message()).contains(":web.fetch").contains("manifest");
        assertThat(new int[] {d.span().line(), d.span().column()}).containsExactly(Plans.position(text, "(call :web.fetch"));
    }

    @Test
    void anUndeclaredStepTakesTheManifestsEffectsWhichMustBeInThePlan() {
        String inPlan = """
                (plan ^{:effects [[:network {:domains ["example.com"]}]]} :program (do
                  (step "fetch" (call :web.fetch {:any "args"}))))
                """;
        AdmissionResult ok = Plans.admit(inPlan, AGENT);
        assertThat(ok.admitted()).as(Plans.describe(ok.diagnostics())).isTrue();
        assertThat(ok.profiles().getFirst().toAgentAcl("agent.a").toString()).contains("example.com");
        String outsidePlan = """
                (plan ^{:effects []} :program (do
                  (step "fetch" (call :web.fetch {}))))
                """;
        Diagnostic d = only(Plans.admit(outsidePlan, AGENT), "ADMISSION_EFFECT_NOT_IN_PLAN");
        assertThat(new int[] {d.span().line(), d.span().column()}).containsExactly(Plans.position(outsidePlan, "(call :web.fetch"));
    }

    @Test
    void aPureUserCapabilityNeedsNoDeclaration() {
        String text = """
                (plan ^{:effects []} :program (do (step "count" (call :text.wordcount {:text "a b"}))))
                """;
        AdmissionResult r = Plans.admit(text, AGENT);
        assertThat(r.admitted()).as(Plans.describe(r.diagnostics())).isTrue();
    }

    @Test
    void builtInsStayAdmittedAgainstAnImage() {
        String text = """
                (plan ^{:effects [:clock]} :program (do (step "now" (call :clock.now {}))))
                """;
        assertThat(Plans.admit(text, AGENT).admitted()).isTrue();
    }

    @Test
    void recordedEffectsThatDoNotReadAreAProblemNotAnEmptyCatalog() {
        List<Diagnostic> problems = new ArrayList<>();
        CapabilityCatalog.fromRecorded(Map.of("web.fetch", "[[:netwrok]]", "echo", "[]"), "image.lock", problems);
        assertThat(problems).extracting(d -> d.code().name()).contains("ADMISSION_EFFECT_UNKNOWN", "CAPABILITY_MANIFEST");
    }
}
