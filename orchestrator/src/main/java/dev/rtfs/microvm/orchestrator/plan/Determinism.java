package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The plan's {@code :determinism {:time :deterministic|:real|{:start_ms n} :random :deterministic|:real|{:seed s}}}.
 * Absent entries are {@link Mode#REAL}. A seed implies deterministic random, a start implies deterministic time;
 * {@code startMs} is the virtual clock's start when time is deterministic ({@link #DEFAULT_START_MS} unless given).
 */
public record Determinism(Mode time, Mode random, Optional<String> seed, OptionalLong startMs, Span span) {

    /** 2024-01-01T00:00:00Z: the virtual clock's start when the plan gives none. */
    public static final long DEFAULT_START_MS = 1_704_067_200_000L;
    /** 9000-01-01T00:00:00Z: leaves room for the per-step and per-call advance below the protocol's 9999-12-31. */
    public static final long MAX_START_MS = 221_845_392_000_000L;
    /** A seed is its text as written; its UTF-8 goes to the guest as hex, so it is kept short. */
    public static final int MAX_SEED_BYTES = 64;

    public static final Determinism REAL =
            new Determinism(Mode.REAL, Mode.REAL, Optional.empty(), OptionalLong.empty(), Span.NONE);

    public Determinism {
        Objects.requireNonNull(time);
        Objects.requireNonNull(random);
        Objects.requireNonNull(seed);
        Objects.requireNonNull(startMs);
        Objects.requireNonNull(span);
        if (time == Mode.DETERMINISTIC && startMs.isEmpty()) startMs = OptionalLong.of(DEFAULT_START_MS);
        if (time == Mode.REAL) startMs = OptionalLong.empty();
    }

    public enum Mode {
        DETERMINISTIC, REAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
