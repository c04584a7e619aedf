package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * One call of a built-in: the evaluator (for fuel, errors and calling function arguments), the evaluated
 * arguments, the call site, and the call form when the call was written in source (null when a built-in
 * such as {@code map} makes the call), so that an argument error can point at that argument.
 */
record BuiltinCall(Evaluator ev, BuiltinOp op, List<Value> args, Span site, ListValue form) {

    Value arg(int i) {
        return args.get(i);
    }

    int argc() {
        return args.size();
    }

    /** Where argument {@code i} was written, or the call site. */
    Span argSpan(int i) {
        return form != null && i + 1 < form.items().size() ? form.items().get(i + 1).span() : site;
    }

    /** Span for a value this call produces. */
    Span produced() {
        return ev.produced(site);
    }

    RtfsEvalException error(String message) {
        return ev.error(op.rtfsName + ": " + message, site);
    }

    RtfsEvalException argError(int i, String message) {
        return ev.error(op.rtfsName + ": " + message, argSpan(i));
    }

    /** "argument 2 must be a map, got string" at the argument. */
    RtfsEvalException typeError(int i, String expected) {
        return argError(i, "argument " + (i + 1) + " must be " + expected + ", got " + args.get(i).typeName());
    }

    void charge(long units) {
        ev.charge(units, site);
    }
}
