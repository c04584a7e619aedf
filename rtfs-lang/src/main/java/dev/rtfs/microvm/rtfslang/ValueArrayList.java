package dev.rtfs.microvm.rtfslang;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Immutable list over an array the reader hands over and never touches again; the collection records
 * accept it without a defensive copy (reading allocates one array per collection instead of three).
 */
final class ValueArrayList extends AbstractList<Value> implements RandomAccess {
    private final Value[] items;

    /** Takes ownership of {@code items}: the caller must not keep or mutate it. */
    ValueArrayList(Value[] items) {
        this.items = items;
    }

    @Override public Value get(int index) {
        return items[Objects.checkIndex(index, items.length)];
    }

    @Override public int size() {
        return items.length;
    }

    // Immutable even when empty (the Abstract* defaults only fail once there is something to remove).
    @Override public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override public Object[] toArray() {
        return Arrays.copyOf(items, items.length, Object[].class);
    }
}
