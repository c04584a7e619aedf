package dev.rtfs.microvm.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * A phase of a run as it happens, for progress output: what happened ({@code message}, one line, already
 * printable) and when, counted from the start of the run. Events, not prints: the CLI decides whether and where
 * they are shown ({@code --quiet}, stderr only, so JSON on stdout stays clean).
 */
public record RunEvent(Phase phase, String message, Duration sinceStart) {

    public enum Phase { VALIDATED, PROXY, CONTROL, ATTESTED, VM_STARTED, HELLO, BOOT_FAILED, STEP_STARTED, STEP_FINISHED,
        SHUTDOWN, VM_EXITED, CHAIN }

    public RunEvent {
        Objects.requireNonNull(phase);
        Objects.requireNonNull(message);
        Objects.requireNonNull(sinceStart);
    }
}
