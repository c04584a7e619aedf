package dev.rtfs.microvm.orchestrator.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import org.junit.jupiter.api.Test;

/** The text table of {@code rtfs-microvm profile}: one line per step, whatever the plan's strings hold. */
class StepProfileTableTest {

    @Test
    void controlCharactersInPlanStringsCannotReachTheTerminal() {
        AdmissionResult r = Plans.admit("""
                (plan ^{:determinism {:random {:seed "7\\u001b]0;t\\u0007"}} :effects [:random]}
                  :program (do (step "a\\u001b[2J\\nforged 9" (call :random.int {:max 6}))))
                """);
        assertThat(r.diagnostics()).as(Plans.describe(r.diagnostics())).isEmpty();
        String table = StepProfileTable.render(r.profiles());
        assertThat(table.lines()).hasSize(2);
        assertThat(table).doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("a\\u001b[2J\\u000aforged 9").contains("(seed 7\\u001b]0;t\\u0007)");
    }
}
