package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import java.util.Set;

/**
 * Where a run's progress is made durable (the causal chain). A step counts as done only once
 * {@link #finished} returned for it with {@link StepStatus#COMPLETED}: that is what lets a restarted run skip it.
 */
interface StepJournal {

    /** Names of the steps of this plan completed by earlier attempts. */
    Set<String> completedSteps();

    void started(StepProfile profile);

    /** Returns once the outcome is durable. */
    void finished(StepOutcome outcome);
}
