package dev.rtfs.microvm.controlplane.protocol;

import java.util.Optional;

/**
 * Where a call runs, sent by the host in the call's optional {@code step_index} and {@code time_left_ms} fields
 * (both or neither): the step's index, whose workdir ({@code /tmp/agent/steps/<index>}) is a user capability's
 * cwd, and the milliseconds left of the step's time limit, after which the guest kills the capability.
 */
public record CallStep(int index, long timeLeftMs) {

    /** The step indices a plan may have (as {@link CallDeterminism#MAX_INDEX}). */
    public static final int MAX_INDEX = CallDeterminism.MAX_INDEX;
    /** A day: no step is given longer. */
    public static final long MAX_TIME_LEFT_MS = 86_400_000L;

    public CallStep {
        problem(index, timeLeftMs).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /** What is wrong with these values, if anything (the codec answers it as {@code invalid_value}). */
    public static Optional<String> problem(long index, long timeLeftMs) {
        if (index < 0 || index > MAX_INDEX) return Optional.of("'step_index' must be 0.." + MAX_INDEX);
        if (timeLeftMs < 1 || timeLeftMs > MAX_TIME_LEFT_MS) {
            return Optional.of("'time_left_ms' must be 1.." + MAX_TIME_LEFT_MS);
        }
        return Optional.empty();
    }
}
