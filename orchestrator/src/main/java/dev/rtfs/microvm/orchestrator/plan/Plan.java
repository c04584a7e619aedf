package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.orchestrator.effect.EffectRow;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A plan as written (read, never evaluated): its effect envelope, resources, determinism policy and steps.
 *
 * @param effects   the envelope items of {@code ^{:effects [...]}}
 * @param maxTimeMs {@code :resources :max_time_ms}, if written
 */
public record Plan(
        String source, Span span, List<DeclaredEffect> effects, OptionalLong maxTimeMs, Determinism determinism,
        List<Step> steps) {

    public Plan {
        Objects.requireNonNull(source);
        Objects.requireNonNull(span);
        effects = List.copyOf(effects);
        Objects.requireNonNull(maxTimeMs);
        Objects.requireNonNull(determinism);
        steps = List.copyOf(steps);
    }

    /** The normalized envelope; kinds whose items allow nothing together are left out (admission reports them). */
    public EffectRow envelope() {
        return EffectRow.normalize(effects.stream().map(DeclaredEffect::effect).toList()).row();
    }

    public Optional<Step> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
