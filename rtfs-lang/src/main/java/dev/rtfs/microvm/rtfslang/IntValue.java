package dev.rtfs.microvm.rtfslang;

/** A 64-bit integer. */
public record IntValue(long value, Span span, MapValue meta) implements Value {
    public static IntValue of(long v) { return new IntValue(v, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new IntValue(value, s, meta); }
    @Override public Value withMeta(MapValue m) { return new IntValue(value, span, m); }
    @Override public String typeName() { return "integer"; }
    @Override public boolean equals(Object o) { return o instanceof IntValue i && i.value == value; }
    @Override public int hashCode() { return Long.hashCode(value); }
}
