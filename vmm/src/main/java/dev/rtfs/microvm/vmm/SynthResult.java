package dev.rtfs.microvm.vmm;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Outcome of synthesis: the spec (with any warnings) or the diagnostics that refused it. Never a partial spec.
 */
public sealed interface SynthResult<S> {

    /** Every diagnostic, errors and warnings, in {@link Diagnostic#ORDER}. */
    List<Diagnostic> diagnostics();

    /**
     * On a deploy: the sha256 of each boot artifact that could be measured, by label ("kernel", "initramfs",
     * "rootfs", "capabilities"), also when the deploy was refused — what the causal chain records. Empty otherwise.
     */
    Map<String, String> measured();

    record Synthesized<S>(S spec, List<Diagnostic> diagnostics, Map<String, String> measured) implements SynthResult<S> {
        public Synthesized(S spec, List<Diagnostic> diagnostics) {
            this(spec, diagnostics, Map.of());
        }

        public Synthesized {
            Objects.requireNonNull(spec);
            measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
            diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
            if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
                throw new IllegalArgumentException("a synthesized spec cannot carry errors");
            }
        }
    }

    record Refused<S>(List<Diagnostic> diagnostics, Map<String, String> measured) implements SynthResult<S> {
        public Refused(List<Diagnostic> diagnostics) {
            this(diagnostics, Map.of());
        }

        public Refused {
            measured = Collections.unmodifiableMap(new LinkedHashMap<>(measured));
            diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
            if (diagnostics.stream().noneMatch(Diagnostic::isError)) {
                throw new IllegalArgumentException("a refusal needs at least one error");
            }
        }
    }

    /** Refused when any diagnostic is an error, else the spec built by {@code spec}. */
    static <S> SynthResult<S> of(List<Diagnostic> diagnostics, Map<String, String> measured,
            java.util.function.Supplier<S> spec) {
        return diagnostics.stream().anyMatch(Diagnostic::isError)
                ? new Refused<>(diagnostics, measured)
                : new Synthesized<>(spec.get(), diagnostics, measured);
    }

    default <T> SynthResult<T> map(java.util.function.Function<S, T> f) {
        return switch (this) {
            case Synthesized<S> s -> new Synthesized<>(f.apply(s.spec()), s.diagnostics(), s.measured());
            case Refused<S> r -> new Refused<>(r.diagnostics(), r.measured());
        };
    }
}
