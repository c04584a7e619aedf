package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan's {@code :determinism {:time :deterministic|:real :random :deterministic|:real|{:seed s}}}.
 * Absent entries are {@link Mode#REAL}. A seed implies deterministic random.
 */
public record Determinism(Mode time, Mode random, Optional<String> seed, Span span) {

    public static final Determinism REAL = new Determinism(Mode.REAL, Mode.REAL, Optional.empty(), Span.NONE);

    public Determinism {
        Objects.requireNonNull(time);
        Objects.requireNonNull(random);
        Objects.requireNonNull(seed);
        Objects.requireNonNull(span);
    }

    public enum Mode {
        DETERMINISTIC, REAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
