package dev.rtfs.microvm.rtfslang;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Immutable insertion-ordered map over the key/value array the reader hands over (k0 v0 k1 v1 ..., exactly as
 * written), accepted by {@link MapValue} without a copy. Small maps (the common case in configs) are searched
 * linearly, larger ones through a hash index.
 */
final class ValueArrayMap extends AbstractMap<Value, Value> {
    private static final int LINEAR_MAX = 8;

    private final Value[] kv;
    private final int size;
    private final HashMap<Value, Integer> index;

    /** Takes ownership of {@code kv} (alternating keys and values); keys must be distinct (see {@link #indexOfDuplicate}). */
    ValueArrayMap(Value[] kv) {
        this.kv = kv;
        this.size = kv.length / 2;
        if (size > LINEAR_MAX) {
            index = HashMap.newHashMap(size);
            for (int i = 0; i < kv.length; i += 2) index.put(kv[i], i);
        } else {
            index = null;
        }
    }

    /** Array index of the first element (every {@code stride}-th from 0) equal to an earlier one, or -1. */
    static int indexOfDuplicate(Value[] a, int stride) {
        int n = a.length / stride;
        if (n <= LINEAR_MAX) {
            for (int i = stride; i < a.length; i += stride) {
                Value x = a[i];
                for (int j = 0; j < i; j += stride) if (a[j].equals(x)) return i;
            }
            return -1;
        }
        HashSet<Value> seen = HashSet.newHashSet(n);
        for (int i = 0; i < a.length; i += stride) if (!seen.add(a[i])) return i;
        return -1;
    }

    /** Array index of the key, or -1. */
    private int find(Object key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < kv.length; i += 2) if (kv[i].equals(key)) return i;
        return -1;
    }

    @Override public Value get(Object key) {
        int i = find(key);
        return i < 0 ? null : kv[i + 1];
    }

    @Override public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override public int size() {
        return size;
    }

    // Immutable even when empty (the Abstract* defaults only fail once there is something to remove).
    @Override public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override public void forEach(BiConsumer<? super Value, ? super Value> action) {
        for (int i = 0; i < kv.length; i += 2) action.accept(kv[i], kv[i + 1]);
    }

    @Override public int hashCode() {
        int h = 0;
        for (int i = 0; i < kv.length; i += 2) h += kv[i].hashCode() ^ kv[i + 1].hashCode();
        return h;
    }

    @Override public Set<Entry<Value, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override public int size() {
                return size;
            }

            @Override public Iterator<Entry<Value, Value>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override public boolean hasNext() {
                        return next < kv.length;
                    }

                    @Override public Entry<Value, Value> next() {
                        if (next >= kv.length) throw new NoSuchElementException();
                        int i = next;
                        next += 2;
                        return Map.entry(kv[i], kv[i + 1]);
                    }
                };
            }
        };
    }
}
