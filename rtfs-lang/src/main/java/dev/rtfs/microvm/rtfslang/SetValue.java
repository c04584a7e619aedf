package dev.rtfs.microvm.rtfslang;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** {@code #{ ... }}; keeps insertion order for printing. */
public record SetValue(Set<Value> items, Span span, MapValue meta) implements Value {
    // The reader hands over an already-immutable ordered set; everything else is copied.
    public SetValue { if (!(items instanceof ValueArraySet)) items = Collections.unmodifiableSet(new LinkedHashSet<>(items)); }

    public static SetValue of(Set<Value> items) { return new SetValue(items, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new SetValue(items, s, meta); }
    @Override public Value withMeta(MapValue m) { return new SetValue(items, span, m); }
    @Override public String typeName() { return "set"; }
    @Override public boolean equals(Object o) { return o instanceof SetValue l && l.items.equals(items); }
    @Override public int hashCode() { return 31 * items.hashCode() + 5; }
}
