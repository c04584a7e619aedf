package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * A user function ({@code fn} / {@code defn}) with the lexical environment it was created in.
 * {@code selfName} is bound to the closure itself on every call (named {@code fn}), or null.
 * Compared by identity: functions are not data.
 */
record Closure(String name, String selfName, List<ClosureArity> arities, Env env, Span span, MapValue meta)
        implements FnValue {

    Closure {
        arities = List.copyOf(arities);
    }

    /** The arity taking {@code argc} arguments: an exact fixed arity wins over a variadic one. */
    ClosureArity arityFor(int argc) {
        ClosureArity variadic = null;
        for (ClosureArity a : arities) {
            if (a.rest() == null && a.params().size() == argc) return a;
            if (a.rest() != null && a.accepts(argc)) variadic = a;
        }
        return variadic;
    }

    String describeArities() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < arities.size(); i++) {
            if (i > 0) sb.append(i == arities.size() - 1 ? " or " : ", ");
            sb.append(arities.get(i).describe());
        }
        return sb.toString();
    }

    @Override public Value withSpan(Span s) { return new Closure(name, selfName, arities, env, s, meta); }
    @Override public Value withMeta(MapValue m) { return new Closure(name, selfName, arities, env, span, m); }
    @Override public boolean equals(Object o) { return this == o; }
    @Override public int hashCode() { return System.identityHashCode(this); }
    @Override public String toString() { return "#<fn " + name + ">"; }
}
