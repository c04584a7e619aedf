package dev.rtfs.microvm.rtfslang;

import java.util.Objects;

public record StringValue(String value, Span span, MapValue meta) implements Value {
    public StringValue { Objects.requireNonNull(value); }

    public static StringValue of(String v) { return new StringValue(v, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new StringValue(value, s, meta); }
    @Override public Value withMeta(MapValue m) { return new StringValue(value, span, m); }
    @Override public String typeName() { return "string"; }
    @Override public boolean equals(Object o) { return o instanceof StringValue v && v.value.equals(value); }
    @Override public int hashCode() { return value.hashCode(); }
}
