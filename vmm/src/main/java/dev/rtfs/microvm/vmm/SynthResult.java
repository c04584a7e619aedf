package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.config.diag.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * Outcome of synthesis: the spec (with any warnings) or the diagnostics that refused it. Never a partial spec.
 */
public sealed interface SynthResult<S> {

    /** Every diagnostic, errors and warnings, in {@link Diagnostic#ORDER}. */
    List<Diagnostic> diagnostics();

    record Synthesized<S>(S spec, List<Diagnostic> diagnostics) implements SynthResult<S> {
        public Synthesized {
            Objects.requireNonNull(spec);
            diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
            if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
                throw new IllegalArgumentException("a synthesized spec cannot carry errors");
            }
        }
    }

    record Refused<S>(List<Diagnostic> diagnostics) implements SynthResult<S> {
        public Refused {
            diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
            if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
                throw new IllegalArgumentException("a refusal needs at least one error");
            }
        }
    }

    /** Refused when any diagnostic is an error, else the spec built by {@code spec}. */
    static <S> SynthResult<S> of(List<Diagnostic> diagnostics, java.util.function.Supplier<S> spec) {
        return diagnostics.stream().anyMatch(Diagnostic::isError)
                ? new Refused<>(diagnostics)
                : new Synthesized<>(spec.get(), diagnostics);
    }

    default <T> SynthResult<T> map(java.util.function.Function<S, T> f) {
        return switch (this) {
            case Synthesized<S> s -> new Synthesized<>(f.apply(s.spec()), s.diagnostics());
            case Refused<S> r -> new Refused<>(r.diagnostics());
        };
    }
}
