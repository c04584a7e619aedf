package dev.rtfs.microvm.rtfslang;

/** A 64-bit float. Equality is bitwise on the canonical representation so that ##NaN equals ##NaN. */
public record FloatValue(double value, Span span, MapValue meta) implements Value {
    public static FloatValue of(double v) { return new FloatValue(v, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new FloatValue(value, s, meta); }
    @Override public Value withMeta(MapValue m) { return new FloatValue(value, span, m); }
    @Override public String typeName() { return "float"; }
    @Override public boolean equals(Object o) {
        return o instanceof FloatValue f && Double.doubleToLongBits(f.value) == Double.doubleToLongBits(value);
    }
    @Override public int hashCode() { return Double.hashCode(value); }
}
