package dev.rtfs.microvm.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One step of a run: its status, the calls made, how long it took and, when it failed, why. */
public record StepOutcome(int index, String name, StepStatus status, List<CallOutcome> calls, Duration elapsed,
        Optional<String> failure) {

    public StepOutcome {
        Objects.requireNonNull(name);
        Objects.requireNonNull(status);
        calls = List.copyOf(calls);
        Objects.requireNonNull(elapsed);
        Objects.requireNonNull(failure);
    }

    static StepOutcome skipped(int index, String name, StepStatus status) {
        return new StepOutcome(index, name, status, List.of(), Duration.ZERO, Optional.empty());
    }
}
