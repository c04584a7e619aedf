package dev.rtfs.microvm.orchestrator.effect;

/** An effect without parameters: {@code :process :ipc :clock :random :gpu :device :ui}. */
public record BareEffect(EffectKind kind) implements Effect {

    public BareEffect {
        if (!kind.isBare()) throw new IllegalArgumentException(kind + " takes parameters");
    }

    @Override public boolean within(Effect other) { return other.kind() == kind; }

    @Override
    public Effect intersect(Effect other) {
        requireSameKind(other);
        return this;
    }

    @Override
    public Effect union(Effect other) {
        requireSameKind(other);
        return this;
    }

    @Override public boolean isEmpty() { return false; }

    @Override public String emptyParameter() { return ""; }
}
