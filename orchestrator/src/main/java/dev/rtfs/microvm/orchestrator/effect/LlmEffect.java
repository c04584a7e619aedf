package dev.rtfs.microvm.orchestrator.effect;

import java.util.Objects;

/** {@code [:llm {:models [...]}]}. */
public record LlmEffect(ParamSet<String> models) implements Effect {

    public LlmEffect {
        Objects.requireNonNull(models);
    }

    @Override public EffectKind kind() { return EffectKind.LLM; }

    @Override
    public boolean within(Effect other) {
        return other instanceof LlmEffect o && models.within(o.models, Covering.equality());
    }

    @Override
    public Effect intersect(Effect other) {
        requireSameKind(other);
        return new LlmEffect(models.intersect(((LlmEffect) other).models, Covering.equality()));
    }

    @Override
    public Effect union(Effect other) {
        requireSameKind(other);
        return new LlmEffect(models.union(((LlmEffect) other).models, Covering.equality()));
    }

    @Override public boolean isEmpty() { return models.isEmpty(); }

    @Override public String emptyParameter() { return models.isEmpty() ? "models" : ""; }
}
