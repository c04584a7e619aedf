package dev.rtfs.microvm.rtfslang;

public record BoolValue(boolean value, Span span, MapValue meta) implements Value {
    public static final BoolValue TRUE = new BoolValue(true, Span.NONE, MapValue.EMPTY);
    public static final BoolValue FALSE = new BoolValue(false, Span.NONE, MapValue.EMPTY);

    public static BoolValue of(boolean b) { return b ? TRUE : FALSE; }

    @Override public Value withSpan(Span s) { return new BoolValue(value, s, meta); }
    @Override public Value withMeta(MapValue m) { return new BoolValue(value, span, m); }
    @Override public String typeName() { return "boolean"; }
    @Override public boolean equals(Object o) { return o instanceof BoolValue b && b.value == value; }
    @Override public int hashCode() { return Boolean.hashCode(value); }
}
