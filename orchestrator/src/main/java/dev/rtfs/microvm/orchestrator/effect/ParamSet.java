package dev.rtfs.microvm.orchestrator.effect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The allowed values of one effect parameter: either unconstrained (the parameter was not written) or a
 * finite set kept sorted and minimal (no value covered by another). Unconstrained is the top of the
 * lattice; the empty set is its bottom and means "allows nothing".
 */
public record ParamSet<T extends Comparable<? super T>>(boolean unconstrained, List<T> values) {

    public ParamSet {
        values = List.copyOf(values);
        if (unconstrained && !values.isEmpty()) throw new IllegalArgumentException("unconstrained set with values");
    }

    public static <T extends Comparable<? super T>> ParamSet<T> any() {
        return new ParamSet<T>(true, List.<T>of());
    }

    /** A finite set, sorted and reduced to the values not covered by another one. */
    public static <T extends Comparable<? super T>> ParamSet<T> of(Collection<T> values, Covering<T> covering) {
        return new ParamSet<>(false, minimize(values, covering));
    }

    public boolean isEmpty() {
        return !unconstrained && values.isEmpty();
    }

    /** Containment: every value allowed here is allowed by {@code wider}. */
    public boolean within(ParamSet<T> wider, Covering<T> covering) {
        if (wider.unconstrained) return true;
        if (unconstrained) return false;
        return values.stream().allMatch(v -> coveredBy(v, wider.values, covering));
    }

    /** Greatest lower bound. Exact because tree-shaped values are always nested or disjoint. */
    public ParamSet<T> intersect(ParamSet<T> other, Covering<T> covering) {
        if (unconstrained) return other;
        if (other.unconstrained) return this;
        List<T> both = new ArrayList<>();
        for (T v : values) if (coveredBy(v, other.values, covering)) both.add(v);
        for (T v : other.values) if (coveredBy(v, values, covering)) both.add(v);
        return of(both, covering);
    }

    /** Least upper bound: what either side allows. */
    public ParamSet<T> union(ParamSet<T> other, Covering<T> covering) {
        if (unconstrained || other.unconstrained) return any();
        List<T> all = new ArrayList<>(values);
        all.addAll(other.values);
        return of(all, covering);
    }

    /** Keeps the values of this set that {@code covering} lets some value of {@code allowed} cover. */
    public List<T> coveredPart(Collection<T> allowed, Covering<T> covering) {
        return values.stream().filter(v -> coveredBy(v, allowed, covering)).toList();
    }

    private static <T> boolean coveredBy(T value, Collection<T> wide, Covering<T> covering) {
        for (T w : wide) if (covering.covers(w, value)) return true;
        return false;
    }

    private static <T extends Comparable<? super T>> List<T> minimize(Collection<T> values, Covering<T> covering) {
        TreeSet<T> distinct = new TreeSet<>();
        for (T v : values) distinct.add(Objects.requireNonNull(v));
        List<T> kept = new ArrayList<>();
        for (T v : distinct) {
            boolean covered = false;
            for (T w : distinct) {
                if (!w.equals(v) && covering.covers(w, v)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) kept.add(v);
        }
        return kept;
    }
}
