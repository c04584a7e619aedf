package dev.rtfs.microvm.rtfslang;

import java.util.AbstractSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;

/**
 * Immutable insertion-ordered set over distinct elements (checked by the reader), accepted by {@link SetValue}
 * without a copy. Small sets are searched linearly, larger ones through a hash index.
 */
final class ValueArraySet extends AbstractSet<Value> {
    private static final int LINEAR_MAX = 8;

    private final List<Value> items;
    private final HashSet<Value> index;

    /** Takes ownership of {@code distinct}: the caller must not keep or mutate it. */
    ValueArraySet(Value[] distinct) {
        this.items = new ValueArrayList(distinct);
        this.index = distinct.length > LINEAR_MAX ? new HashSet<>(items) : null;
    }

    @Override public boolean contains(Object o) {
        return index != null ? index.contains(o) : items.contains(o);
    }

    @Override public Iterator<Value> iterator() {
        return items.iterator();
    }

    @Override public int size() {
        return items.size();
    }

    // Immutable even when empty (the Abstract* defaults only fail once there is something to remove).
    @Override public void clear() {
        throw new UnsupportedOperationException();
    }
}
