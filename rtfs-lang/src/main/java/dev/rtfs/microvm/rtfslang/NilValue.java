package dev.rtfs.microvm.rtfslang;

public record NilValue(Span span, MapValue meta) implements Value {
    public static final NilValue NIL = new NilValue(Span.NONE, MapValue.EMPTY);

    public static NilValue at(Span span) { return new NilValue(span, MapValue.EMPTY); }

    @Override public Value withSpan(Span s) { return new NilValue(s, meta); }
    @Override public Value withMeta(MapValue m) { return new NilValue(span, m); }
    @Override public String typeName() { return "nil"; }
    @Override public boolean equals(Object o) { return o instanceof NilValue; }
    @Override public int hashCode() { return 0; }
}
