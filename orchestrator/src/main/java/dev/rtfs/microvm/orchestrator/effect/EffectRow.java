package dev.rtfs.microvm.orchestrator.effect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A normalized effect row: at most one non-empty item per kind, in {@link EffectKind} order. Build one
 * with {@link #normalize}; rows compose by {@link #union} and narrow by {@link #intersect}.
 */
public record EffectRow(List<Effect> effects) {

    public static final EffectRow EMPTY = new EffectRow(List.of());

    public EffectRow {
        effects = List.copyOf(effects);
        for (int i = 1; i < effects.size(); i++) {
            if (effects.get(i - 1).kind().compareTo(effects.get(i).kind()) >= 0) {
                throw new IllegalArgumentException("row not normalized: " + effects);
            }
        }
        for (Effect e : effects) if (e.isEmpty()) throw new IllegalArgumentException("empty effect in row: " + e);
    }

    /**
     * Merges items of the same kind by intersecting their parameters (each item is a constraint that must
     * hold). Kinds whose merged parameters allow nothing are left out of the row and listed in
     * {@link Normalization#empties()}: the caller reports them as errors.
     */
    public static Normalization normalize(Collection<? extends Effect> items) {
        Map<EffectKind, Effect> merged = new EnumMap<>(EffectKind.class);
        for (Effect e : items) merged.merge(e.kind(), e, Effect::intersect);
        List<Effect> kept = new ArrayList<>();
        List<Effect> empties = new ArrayList<>();
        for (Effect e : merged.values()) (e.isEmpty() ? empties : kept).add(e);
        return new Normalization(new EffectRow(kept), empties);
    }

    public Optional<Effect> get(EffectKind kind) {
        return effects.stream().filter(e -> e.kind() == kind).findFirst();
    }

    public boolean has(EffectKind kind) {
        return get(kind).isPresent();
    }

    public boolean isEmpty() {
        return effects.isEmpty();
    }

    /** Item subtyping against a row: the row has an item of the same kind that contains {@code item}. */
    public boolean allows(Effect item) {
        return get(item.kind()).map(item::within).orElse(false);
    }

    /** Row subtyping: every item of this row is allowed by {@code wider}. */
    public boolean within(EffectRow wider) {
        return effects.stream().allMatch(wider::allows);
    }

    /** Composition: the effects of running both (per kind, the join of the parameters). */
    public EffectRow union(EffectRow other) {
        Map<EffectKind, Effect> merged = new EnumMap<>(EffectKind.class);
        for (Effect e : effects) merged.put(e.kind(), e);
        for (Effect e : other.effects) merged.merge(e.kind(), e, Effect::union);
        return new EffectRow(new ArrayList<>(merged.values()));
    }

    /** What both rows allow: kinds present in both, parameters intersected; kinds that meet in nothing drop out. */
    public EffectRow intersect(EffectRow other) {
        List<Effect> both = new ArrayList<>();
        for (Effect e : effects) {
            other.get(e.kind()).map(e::intersect).filter(m -> !m.isEmpty()).ifPresent(both::add);
        }
        both.sort(Comparator.comparing(Effect::kind));
        return new EffectRow(both);
    }

    /** Result of {@link #normalize}: the row, and the merged items that allow nothing (errors). */
    public record Normalization(EffectRow row, List<Effect> empties) {
        public Normalization {
            empties = List.copyOf(empties);
        }

        public boolean ok() {
            return empties.isEmpty();
        }
    }
}
