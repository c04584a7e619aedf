package dev.rtfs.microvm.lang;

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
 * Immutable insertion-ordered map over arrays the reader hands over, accepted by {@link MapValue} without
 * a copy. Small maps (the common case in configs) are searched linearly, larger ones through a hash index.
 */
final class ValueArrayMap extends AbstractMap<Value, Value> {
    private static final int LINEAR_MAX = 8;

    private final Value[] keys;
    private final Value[] values;
    private final HashMap<Value, Integer> index;

    /** Takes ownership of the arrays; keys must be distinct (see {@link #indexOfDuplicate}). */
    ValueArrayMap(Value[] keys, Value[] values) {
        this.keys = keys;
        this.values = values;
        if (keys.length > LINEAR_MAX) {
            index = HashMap.newHashMap(keys.length);
            for (int i = 0; i < keys.length; i++) index.put(keys[i], i);
        } else {
            index = null;
        }
    }

    /** Index of the first key equal to an earlier key, or -1. */
    static int indexOfDuplicate(Value[] keys) {
        int n = keys.length;
        if (n <= LINEAR_MAX) {
            for (int i = 1; i < n; i++) {
                for (int j = 0; j < i; j++) if (keys[j].equals(keys[i])) return i;
            }
            return -1;
        }
        HashSet<Value> seen = HashSet.newHashSet(n);
        for (int i = 0; i < n; i++) if (!seen.add(keys[i])) return i;
        return -1;
    }

    private int find(Object key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < keys.length; i++) if (keys[i].equals(key)) return i;
        return -1;
    }

    @Override public Value get(Object key) {
        int i = find(key);
        return i < 0 ? null : values[i];
    }

    @Override public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override public int size() {
        return keys.length;
    }

    // Immutable even when empty (the Abstract* defaults only fail once there is something to remove).
    @Override public void clear() {
        throw new UnsupportedOperationException();
    }

    @Override public void forEach(BiConsumer<? super Value, ? super Value> action) {
        for (int i = 0; i < keys.length; i++) action.accept(keys[i], values[i]);
    }

    @Override public int hashCode() {
        int h = 0;
        for (int i = 0; i < keys.length; i++) h += keys[i].hashCode() ^ values[i].hashCode();
        return h;
    }

    @Override public Set<Entry<Value, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override public int size() {
                return keys.length;
            }

            @Override public Iterator<Entry<Value, Value>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override public Entry<Value, Value> next() {
                        if (next >= keys.length) throw new NoSuchElementException();
                        int i = next++;
                        return Map.entry(keys[i], values[i]);
                    }
                };
            }
        };
    }
}
