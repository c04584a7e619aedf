package dev.rtfs.microvm.rtfslang;

/** A built-in function value, as bound in the global environment. Compared by identity. */
record Builtin(BuiltinOp op, Span span, MapValue meta) implements FnValue {

    Builtin(BuiltinOp op) {
        this(op, Span.NONE, MapValue.EMPTY);
    }

    @Override public String name() { return op.rtfsName; }
    @Override public Value withSpan(Span s) { return new Builtin(op, s, meta); }
    @Override public Value withMeta(MapValue m) { return new Builtin(op, span, m); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return System.identityHashCode(this); }
    @Override public String toString() { return "#<fn " + op.rtfsName + ">"; }
}
