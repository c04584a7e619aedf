package dev.rtfs.microvm.rtfslang;

import java.util.Objects;

public record SymbolValue(String name, Span span, MapValue meta) implements Value {
    public SymbolValue { Objects.requireNonNull(name); }

    public static SymbolValue of(String name) { return new SymbolValue(name, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new SymbolValue(name, s, meta); }
    @Override public Value withMeta(MapValue m) { return new SymbolValue(name, span, m); }
    @Override public String typeName() { return "symbol"; }
    @Override public boolean equals(Object o) { return o instanceof SymbolValue k && k.name.equals(name); }
    @Override public int hashCode() { return 31 * name.hashCode() + 2; }
    @Override public String toString() { return name; }
}
