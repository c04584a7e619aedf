package dev.rtfs.microvm.rtfslang;

/**
 * A lexical environment: an immutable chain of local bindings. Closures capture the chain they were
 * created in; lookup walks from the innermost binding outwards (locals are few, so a chain is cheapest).
 */
record Env(String name, Value value, Env parent) {

    static final Env EMPTY = new Env(null, null, null);

    Env bind(String n, Value v) {
        return new Env(n, v, this);
    }

    /** The innermost binding of {@code n}, or null when it is not a local. */
    Value lookup(String n) {
        for (Env e = this; e.name != null; e = e.parent) {
            if (e.name.equals(n)) return e.value;
        }
        return null;
    }
}
