package dev.rtfs.microvm.rtfslang;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code { ... }}. Keeps insertion order for printing; the key objects keep their spans, so a diagnostic
 * about an entry can point at the key that was written (possibly inside a macro, see {@link Span#via()}).
 * Immutable: the "update" methods return new maps.
 */
public record MapValue(Map<Value, Value> entries, Span span, MapValue meta) implements Value {
    public static final MapValue EMPTY = new MapValue(Map.of(), Span.NONE, null);

    public MapValue {
        // The reader hands over an already-immutable ordered map; everything else is copied.
        if (!(entries instanceof ValueArrayMap)) entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        // EMPTY is its own metadata; every other map defaults to EMPTY.
        if (meta == null && EMPTY != null) meta = EMPTY;
    }

    public static MapValue of(Map<Value, Value> entries) { return new MapValue(entries, Span.NONE, EMPTY); }

    @Override public MapValue meta() { return meta == null ? this : meta; }

    public Value get(Value key) { return entries.get(key); }

    public Value get(String keyword) { return entries.get(KeywordValue.of(keyword)); }

    /** The key object as written (with its span), or null. */
    public Value keyAsWritten(Value key) {
        if (!entries.containsKey(key)) return null;
        for (Value k : entries.keySet()) if (k.equals(key)) return k;
        return null;
    }

    /** A copy with key -> value; an existing entry keeps its position but takes the new key's span. */
    public MapValue assoc(Value key, Value value) {
        LinkedHashMap<Value, Value> copy = new LinkedHashMap<>();
        boolean replaced = false;
        for (Map.Entry<Value, Value> e : entries.entrySet()) {
            if (e.getKey().equals(key)) { copy.put(key, value); replaced = true; }
            else copy.put(e.getKey(), e.getValue());
        }
        if (!replaced) copy.put(key, value);
        return new MapValue(copy, span, meta);
    }

    public MapValue dissoc(Value key) {
        LinkedHashMap<Value, Value> copy = new LinkedHashMap<>(entries);
        copy.remove(key);
        return new MapValue(copy, span, meta);
    }

    @Override public Value withSpan(Span s) { return new MapValue(entries, s, meta); }
    @Override public Value withMeta(MapValue m) { return new MapValue(entries, span, m); }
    @Override public String typeName() { return "map"; }
    @Override public boolean equals(Object o) { return o instanceof MapValue m && m.entries.equals(entries); }
    @Override public int hashCode() { return 31 * entries.hashCode() + 6; }
    @Override public String toString() { return "MapValue" + entries; }
}
