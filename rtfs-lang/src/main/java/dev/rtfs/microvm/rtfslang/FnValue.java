package dev.rtfs.microvm.rtfslang;

/**
 * A function value (user closure or built-in). Not data: it has no printed form that reads back, and it
 * is compared by identity. Implemented by the evaluator.
 */
non-sealed interface FnValue extends Value {
    /** Name for messages and call stacks ("assoc-in", "profile:microvm-min", "fn"). */
    String name();

    @Override default String typeName() { return "function"; }
}
