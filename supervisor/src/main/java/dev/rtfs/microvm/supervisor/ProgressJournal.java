package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import dev.rtfs.microvm.rtfslang.PrintableText;
import java.util.Set;
import java.util.function.BiConsumer;

/** A journal that also tells the run's listener when each step starts and how it ended. */
final class ProgressJournal implements StepJournal {

    private final StepJournal journal;
    private final BiConsumer<RunEvent.Phase, String> say;

    ProgressJournal(StepJournal journal, BiConsumer<RunEvent.Phase, String> say) {
        this.journal = journal;
        this.say = say;
    }

    @Override
    public Set<String> completedSteps() {
        return journal.completedSteps();
    }

    @Override
    public void started(StepProfile profile) {
        journal.started(profile);
        say.accept(RunEvent.Phase.STEP_STARTED, "step " + profile.index() + " " + PrintableText.of(profile.step()) + " ...");
    }

    @Override
    public void finished(StepOutcome outcome) {
        journal.finished(outcome);
        say.accept(RunEvent.Phase.STEP_FINISHED, "step " + outcome.index() + " " + PrintableText.of(outcome.name()) + ": "
                + outcome.status().name().toLowerCase().replace('_', ' ') + " in " + outcome.elapsed().toMillis() + " ms"
                + outcome.failure().map(f -> " (" + PrintableText.of(f) + ")").orElse(""));
    }
}
