package dev.rtfs.microvm.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.StepEffects;
import dev.rtfs.microvm.orchestrator.effect.EffectKind;
import dev.rtfs.microvm.orchestrator.effect.FsEffect;
import dev.rtfs.microvm.orchestrator.effect.FsMode;
import dev.rtfs.microvm.orchestrator.effect.NetworkEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Effects inferred from literal call arguments when a step is not annotated. */
class CapabilityInferenceTest {

    static Step onlyStep(String body) {
        PlanReading reading = Plans.read("(plan :program (step \"S\" " + body + "))");
        assertThat(reading.diagnostics()).as(Plans.describe(reading.diagnostics())).isEmpty();
        return reading.plan().orElseThrow().steps().get(0);
    }

    @Test
    void literalUrlGivesNormalizedDomainAndMethod() {
        StepEffects e = StepEffects.of(onlyStep("(call :http.get {:url \"https://API.Example.com./x\"})"));
        assertThat(e.problems()).isEmpty();
        NetworkEffect n = (NetworkEffect) e.row().get(EffectKind.NETWORK).orElseThrow();
        assertThat(n.domains().values()).containsExactly("api.example.com");
        assertThat(n.methods().values()).containsExactly("GET");
        assertThat(n.ports().values()).containsExactly(443);
    }

    @Test
    void postWithExplicitPortAndPlainHttp() {
        NetworkEffect post = (NetworkEffect) StepEffects.of(onlyStep("(call :http.post {:url \"https://example.com:8443/a\"})"))
                .row().get(EffectKind.NETWORK).orElseThrow();
        assertThat(post.methods().values()).containsExactly("POST");
        assertThat(post.ports().values()).containsExactly(8443);
        NetworkEffect http = (NetworkEffect) StepEffects.of(onlyStep("(call :http.get {:url \"http://example.com/\"})"))
                .row().get(EffectKind.NETWORK).orElseThrow();
        assertThat(http.ports().values()).containsExactly(80);
    }

    @Test
    void severalCallsComposeByUnion() {
        StepEffects e = StepEffects.of(onlyStep("""
                (do (call :http.get {:url "https://a.example.com/"})
                    (call :http.post {:url "https://b.example.com/"})
                    (call :fs.read {:path "/tmp/agent/in//data/./x.json"})
                    (call :echo {:msg "x"}))"""));
        NetworkEffect n = (NetworkEffect) e.row().get(EffectKind.NETWORK).orElseThrow();
        assertThat(n.domains().values()).containsExactly("a.example.com", "b.example.com");
        assertThat(n.methods().values()).containsExactly("GET", "POST");
        FsEffect fs = (FsEffect) e.row().get(EffectKind.FS).orElseThrow();
        assertThat(fs.paths().values()).containsExactly("/tmp/agent/in/data/x.json");
        assertThat(fs.modes().values()).containsExactly(FsMode.READ);
    }

    @Test
    void nonLiteralUrlIsAnUndeclaredCall() {
        String text = "(plan ^{:effects [:network]} :program (step \"S\" (call :http.get {:url (str base \"/x\")})))";
        AdmissionResult r = Plans.admit(text);
        assertThat(r.errors()).singleElement().extracting(d -> d.code().name()).isEqualTo("ADMISSION_UNDECLARED_CALL");
        assertThat(r.errors().get(0).message()).contains("literal string :url");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://example.com@evil.com/",      // userinfo hides the real host
        "https://user:pw@example.com/",
        "ftp://example.com/",
        "https:///nohost",
        "https://exa mple.com/",
        "https://example.com:99999/",
        "example.com/path"})
    void trickyUrlsAreNotInferred(String url) {
        StepEffects e = StepEffects.of(onlyStep("(call :http.get {:url \"" + url + "\"})"));
        assertThat(e.row().isEmpty()).isTrue();
        assertThat(e.problems()).singleElement().extracting(d -> d.code().name()).isEqualTo("ADMISSION_UNDECLARED_CALL");
    }

    @Test
    void aCallWithMoreThanOneArgumentIsNotInferredFromItsFirst() {
        // The second map could carry the real target; inferring from the first alone would admit evil.com unseen.
        StepEffects e = StepEffects.of(onlyStep(
                "(call :http.get {:url \"https://example.com/\"} {:url \"https://evil.com/\"})"));
        assertThat(e.row().isEmpty()).isTrue();
        assertThat(e.problems()).singleElement().satisfies(d -> {
            assertThat(d.code().name()).isEqualTo("ADMISSION_UNDECLARED_CALL");
            assertThat(d.message()).contains(":http.get takes one argument map, got 2");
        });
        assertThat(StepEffects.of(onlyStep("(call :clock.now)")).problems()).isEmpty();
    }

    @Test
    void internationalizedHostBecomesPunycode() {
        NetworkEffect n = (NetworkEffect) StepEffects.of(onlyStep("(call :http.get {:url \"https://Bücher.Example.com:8443/x\"})"))
                .row().get(EffectKind.NETWORK).orElseThrow();
        assertThat(n.domains().values()).containsExactly("xn--bcher-kva.example.com");
        assertThat(n.ports().values()).containsExactly(8443);
    }

    @Test
    void ipLiteralHostIsInferredButDeniedAsADomain() {
        String text = "(plan ^{:effects [:network]} :program (step \"S\" (call :http.get {:url \"http://169.254.169.254/latest\"})))";
        AdmissionResult r = Plans.admit(text);
        assertThat(r.errors()).singleElement().extracting(d -> d.code().name()).isEqualTo("ADMISSION_DOMAIN_DENIED");
    }

    @Test
    void annotationWinsOverInference() {
        Step s = onlyStep("^{:effects [[:network {:domains [\"example.com\"] :methods [:GET]}]]} (call :http.get {:url u})");
        StepEffects e = StepEffects.of(s);
        assertThat(e.problems()).isEmpty();
        assertThat(e.row().has(EffectKind.NETWORK)).isTrue();
    }
}
