package dev.rtfs.microvm.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One step of a run: its status, the calls made, how long it took and, when it failed, why. */
record StepOutcome(int index, String name, StepStatus status, List<CallOutcome> calls, Duration elapsed,
        Optional<String> failure) {

    public StepOutcome {
        Objects.requireNonNull(name);
        Objects.requireNonNull(status);
        calls = List.copyOf(calls);
        Objects.requireNonNull(elapsed);
        Objects.requireNonNull(failure);
    }

    /** There are steps and each one completed, now or in an earlier attempt. */
    static boolean allDone(List<StepOutcome> steps) {
        return !steps.isEmpty() && steps.stream().allMatch(s -> s.status() == StepStatus.COMPLETED
                || s.status() == StepStatus.ALREADY_DONE);
    }

    static StepOutcome skipped(int index, String name, StepStatus status) {
        return new StepOutcome(index, name, status, List.of(), Duration.ZERO, Optional.empty());
    }
}
