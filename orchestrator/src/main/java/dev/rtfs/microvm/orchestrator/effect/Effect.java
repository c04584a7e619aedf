package dev.rtfs.microvm.orchestrator.effect;

/**
 * One effect item, e.g. {@code [:network {:domains ["a.com"] :methods [:GET]}]}. An absent parameter is
 * unconstrained. Items of the same kind form a lattice: {@link #within} is containment (subtyping),
 * {@link #intersect} the meet, {@link #union} the join. Combining items of different kinds is a
 * programming error.
 */
public sealed interface Effect permits NetworkEffect, FsEffect, LlmEffect, BareEffect {

    EffectKind kind();

    /** Subtyping: everything this effect allows is allowed by {@code other}. False for different kinds. */
    boolean within(Effect other);

    Effect intersect(Effect other);

    Effect union(Effect other);

    /** True when some parameter allows nothing (an empty set). */
    boolean isEmpty();

    /** The name of the first parameter that allows nothing, for messages; "" when none. */
    String emptyParameter();

    default void requireSameKind(Effect other) {
        if (other.kind() != kind()) {
            throw new IllegalArgumentException("cannot combine " + kind() + " with " + other.kind());
        }
    }
}
