package dev.rtfs.microvm.rtfslang;

import java.util.List;

public record VectorValue(List<Value> items, Span span, MapValue meta) implements Value {
    public VectorValue { items = items instanceof ValueArrayList ? items : List.copyOf(items); }

    public static VectorValue of(List<Value> items) { return new VectorValue(items, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new VectorValue(items, s, meta); }
    @Override public Value withMeta(MapValue m) { return new VectorValue(items, span, m); }
    @Override public String typeName() { return "vector"; }
    @Override public boolean equals(Object o) { return o instanceof VectorValue l && l.items.equals(items); }
    @Override public int hashCode() { return 31 * items.hashCode() + 4; }
}
