package dev.rtfs.microvm.orchestrator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.effect.EffectKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanReaderTest {

    @Test
    void readsNestedDoAndLetWithSpans() {
        String text = """
                (plan ^{:effects [:clock] :resources {:max_time_ms 1000} :determinism {:time :deterministic}}
                  :program
                  (do
                    (step "one" (call :clock.now {}))
                    (let [x (step "two" ^{:effects [:clock]} (call :clock.now {}))]
                      (do (step "three" (call :echo {:v x}))))))
                """;
        PlanReading r = Plans.read(text);
        assertThat(r.diagnostics()).isEmpty();
        Plan plan = r.plan().orElseThrow();
        assertThat(plan.steps()).extracting(Step::name).containsExactly("one", "two", "three");
        assertThat(plan.steps()).extracting(Step::index).containsExactly(0, 1, 2);
        assertThat(plan.maxTimeMs()).hasValue(1000);
        assertThat(plan.determinism().time()).isEqualTo(Determinism.Mode.DETERMINISTIC);
        assertThat(plan.determinism().random()).isEqualTo(Determinism.Mode.REAL);
        assertThat(plan.envelope().has(EffectKind.CLOCK)).isTrue();
        Step two = plan.steps().get(1);
        assertThat(two.annotated()).isTrue();
        int[] at = Plans.position(text, "(step \"two\"");
        assertThat(new int[] {two.span().line(), two.span().column()}).containsExactly(at);
        assertThat(plan.steps().get(0).calls()).singleElement()
                .satisfies(c -> assertThat(c.capability()).contains("clock.now"));
    }

    @Test
    void metadataOnThePlanFormItselfIsAccepted() {
        PlanReading r = Plans.read("^{:effects [:ui]} (plan :program (step \"s\" (call :echo {})))");
        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.plan().orElseThrow().envelope().has(EffectKind.UI)).isTrue();
    }

    @Test
    void malformedFormsArePlanShapeWithPositions() {
        record Case(String text, String needle, String messagePart) {}
        List<Case> cases = List.of(
                new Case("", "", "no (plan"),
                new Case("(plan :program (step \"a\" (call :echo {}))) (extra)", "(extra)", "exactly one"),
                new Case("(plna :program (step \"a\" 1))", "(plna", "expected a (plan"),
                new Case("(plan ^{:effects [:clock]} :programme (do))", ":programme", "unknown plan argument"),
                new Case("(plan ^{:effects [:clock]} :id \"x\")", "(plan", "no :program"),
                new Case("(plan :program (step a (call :echo {})))", "a (call", "name must be a non-empty string"),
                new Case("(plan :program (step \"\" (call :echo {})))", "\"\"", "non-empty string"),
                new Case("(plan :program (step \"a\"))", "(step", "has no body"),
                new Case("(plan :program (do (call :echo {})))", "(call", "outside a step"),
                new Case("(plan :program (step \"a\" (step \"b\" 1)))", "(step \"b\"", "cannot be nested"),
                new Case("(plan ^{:effect [:clock]} :program (step \"a\" 1))", "[:clock]", "did you mean :effects?"),
                new Case("(plan ^{:effects :clock} :program (step \"a\" 1))", ":clock}", "must be a vector"),
                new Case("(plan ^{:effects [[:network {:domains \"a.com\"}]]} :program (step \"a\" 1))", "\"a.com\"", "must be a vector"),
                new Case("(plan ^{:effects [[:network {:domains [42]}]]} :program (step \"a\" 1))", "42", "not a host name"),
                new Case("(plan ^{:effects [[:network {:domains [\"*\"]}]]} :program (step \"a\" 1))", "\"*\"", "not a host name"),
                new Case("(plan ^{:effects [[:network {:ports [0]}]]} :program (step \"a\" 1))", "0]", "port number"),
                new Case("(plan ^{:effects [[:network {:methods [:FETCH]}]]} :program (step \"a\" 1))", ":FETCH", "HTTP method"),
                new Case("(plan ^{:effects [[:fs {:modes [:exec]}]]} :program (step \"a\" 1))", ":exec", ":read :write :append"),
                new Case("(plan ^{:effects [[:fs {:path [\"/tmp\"]}]]} :program (step \"a\" 1))", ":path ", "did you mean :paths?"),
                new Case("(plan ^{:effects [[:clock {:hz [1]}]]} :program (step \"a\" 1))", ":hz", "takes no parameters"),
                new Case("(plan ^{:effects [[:network [\"a.com\"]]]} :program (step \"a\" 1))", "[\"a.com\"]]", "parameters are a map"),
                new Case("(plan ^{:effects [\"network\"]} :program (step \"a\" 1))", "\"network\"", "effect item"),
                new Case("(plan ^{:resources {:max_time_ms -5}} :program (step \"a\" 1))", "-5", "positive integer"),
                new Case("(plan ^{:determinism {:time :sometimes}} :program (step \"a\" 1))", ":sometimes", ":deterministic or :real"),
                new Case("(plan ^{:determinism {:random {:seed 1.5}}} :program (step \"a\" 1))", "1.5", "string or an integer"),
                new Case("(plan ^{:determinism {:time {:start_ms -1}}} :program (step \"a\" 1))", "-1", "integer from 0 to"),
                new Case("(plan ^{:determinism {:time {:start_ms \"now\"}}} :program (step \"a\" 1))", "\"now\"", "epoch milliseconds"),
                new Case("(plan ^{:determinism {:time {:start_ms 999999999999999999}}} :program (step \"a\" 1))",
                        "999999999999999999", "integer from 0 to"),
                new Case("(plan ^{:determinism {:time {:start 5}}} :program (step \"a\" 1))", ":start ", "unknown :time key"),
                new Case("(plan ^{:determinism {:random {:seed \"" + "s".repeat(65) + "\"}}} :program (step \"a\" 1))",
                        "\"sss", "at most 64 bytes"),
                new Case("(plan :program (step \"a\" ^{:effects [[:network {:domains [\"a.com\"]}] [:network {:domains [\"b.com\"]}]]} 1))",
                        "[:network {:domains [\"a.com\"]}]", "allows nothing"),
                new Case("(plan :program (step \"a\" (call :echo {}))", "", "RTFS"));
        for (Case c : cases) {
            List<Diagnostic> ds = Plans.admit(c.text()).errors();
            assertThat(ds).as(c.text()).isNotEmpty();
            Diagnostic first = ds.stream().filter(d -> (d.message() + " " + d.suggestion()).contains(c.messagePart()))
                    .findFirst().orElse(ds.get(0));
            if (c.messagePart().equals("RTFS")) {
                assertThat(first.code().name()).isEqualTo("RTFS_SYNTAX");
                continue;
            }
            assertThat(first.code().name()).as(c.text()).isEqualTo("PLAN_SHAPE");
            assertThat(first.message() + " " + first.suggestion()).as(c.text()).contains(c.messagePart());
            if (!c.needle().isEmpty()) {
                int[] pos = Plans.position(c.text(), c.needle());
                assertThat(new int[] {first.span().line(), first.span().column()}).as(c.text() + "\n" + first).containsExactly(pos);
            }
        }
    }

    @Test
    void aDeterministicClockStartsAtThePlansStartOrTheFixedEpoch() {
        Plan given = Plans.read("(plan ^{:determinism {:time {:start_ms 1000} :random {:seed \"0x2a\"}}} :program (step \"a\" 1))")
                .plan().orElseThrow();
        assertThat(given.determinism().time()).isEqualTo(Determinism.Mode.DETERMINISTIC);
        assertThat(given.determinism().startMs()).hasValue(1000);
        assertThat(given.determinism().seed()).contains("0x2a");
        Plan fixed = Plans.read("(plan ^{:determinism {:time :deterministic}} :program (step \"a\" 1))").plan().orElseThrow();
        assertThat(fixed.determinism().startMs()).hasValue(Determinism.DEFAULT_START_MS);
        Plan real = Plans.read("(plan :program (step \"a\" 1))").plan().orElseThrow();
        assertThat(real.determinism().startMs()).isEmpty();
    }
}
