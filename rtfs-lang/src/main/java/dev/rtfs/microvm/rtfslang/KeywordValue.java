package dev.rtfs.microvm.rtfslang;

import java.util.Objects;

/** A keyword; {@code name} is without the leading colon ({@code :allow-domains} has name "allow-domains"). */
public record KeywordValue(String name, Span span, MapValue meta) implements Value {
    public KeywordValue { Objects.requireNonNull(name); }

    public static KeywordValue of(String name) { return new KeywordValue(name, Span.NONE, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new KeywordValue(name, s, meta); }
    @Override public Value withMeta(MapValue m) { return new KeywordValue(name, span, m); }
    @Override public String typeName() { return "keyword"; }
    @Override public boolean equals(Object o) { return o instanceof KeywordValue k && k.name.equals(name); }
    @Override public int hashCode() { return 31 * name.hashCode() + 1; }
    @Override public String toString() { return ":" + name; }
}
