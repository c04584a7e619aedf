package dev.rtfs.microvm.rtfslang;

import java.util.List;

/** {@code ( ... )}: code, or data produced by {@code list}. */
public record ListValue(List<Value> items, Span span, MapValue meta) implements Value {
    // The reader hands over an already-immutable list; everything else is copied.
    public ListValue { items = items instanceof ValueArrayList ? items : List.copyOf(items); }

    public static ListValue of(List<Value> items) { return new ListValue(items, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new ListValue(items, s, meta); }
    @Override public Value withMeta(MapValue m) { return new ListValue(items, span, m); }
    @Override public String typeName() { return "list"; }
    // Lists and vectors with equal items are different values (as in EDN printing), so read(print(v)) keeps the kind.
    @Override public boolean equals(Object o) { return o instanceof ListValue l && l.items.equals(items); }
    @Override public int hashCode() { return 31 * items.hashCode() + 3; }
}
