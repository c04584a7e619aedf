package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.orchestrator.effect.Effect;
import java.util.Objects;

/**
 * An effect item together with where it came from: a written {@code [:kind {...}]} item, or a call whose
 * capability contract gave it ({@code inferredFrom} names the capability, "" when declared).
 */
public record DeclaredEffect(Effect effect, Span span, String inferredFrom) {

    public DeclaredEffect {
        Objects.requireNonNull(effect);
        Objects.requireNonNull(span);
        Objects.requireNonNull(inferredFrom);
    }

    public static DeclaredEffect declared(Effect effect, Span span) {
        return new DeclaredEffect(effect, span, "");
    }

    public boolean inferred() {
        return !inferredFrom.isEmpty();
    }
}
