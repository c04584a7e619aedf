package dev.rtfs.microvm.rtfslang;

/**
 * Numeric built-ins. Integers are 64-bit and never wrap silently: overflow is an error. A float operand
 * makes the operation a float operation. {@code /} on integers gives an integer when the division is
 * exact and a float otherwise (there are no ratios); dividing by zero is an error.
 */
final class Arithmetic {

    private Arithmetic() { }

    /** Argument {@code i}, which must be a number. */
    static Value number(BuiltinCall c, int i) {
        Value v = c.arg(i);
        if (v instanceof IntValue || v instanceof FloatValue) return v;
        throw c.typeError(i, "a number");
    }

    static double asDouble(Value v) {
        return v instanceof IntValue i ? i.value() : ((FloatValue) v).value();
    }

    static boolean isNaN(Value v) {
        return v instanceof FloatValue f && Double.isNaN(f.value());
    }

    static int compare(Value a, Value b) {
        if (a instanceof IntValue x && b instanceof IntValue y) return Long.compare(x.value(), y.value());
        return Double.compare(asDouble(a), asDouble(b));
    }

    /** + - * / over all arguments, left to right. */
    static Value fold(BuiltinCall c) {
        BuiltinOp op = c.op();
        if (c.argc() == 0) return result(c, IntValue.of(op == BuiltinOp.MUL ? 1 : 0));
        Value acc = number(c, 0);
        if (c.argc() == 1) {
            // Negation, not 0 - x: (- 0.0) is -0.0, as in IEEE 754 and Clojure.
            if (op == BuiltinOp.SUB) acc = acc instanceof FloatValue f ? FloatValue.of(-f.value()) : apply(c, op, IntValue.of(0), acc, 0);
            else if (op == BuiltinOp.DIV) acc = apply(c, op, IntValue.of(1), acc, 0);
            return result(c, acc);
        }
        for (int i = 1; i < c.argc(); i++) acc = apply(c, op, acc, number(c, i), i);
        return result(c, acc);
    }

    static Value step(BuiltinCall c) {
        return result(c, apply(c, c.op() == BuiltinOp.INC ? BuiltinOp.ADD : BuiltinOp.SUB, number(c, 0), IntValue.of(1), 0));
    }

    private static Value result(BuiltinCall c, Value v) {
        return v.withSpan(c.produced());
    }

    private static Value apply(BuiltinCall c, BuiltinOp op, Value a, Value b, int argIndex) {
        if (a instanceof IntValue x && b instanceof IntValue y) {
            long l = x.value();
            long r = y.value();
            try {
                return switch (op) {
                    case ADD -> IntValue.of(Math.addExact(l, r));
                    case SUB -> IntValue.of(Math.subtractExact(l, r));
                    case MUL -> IntValue.of(Math.multiplyExact(l, r));
                    default -> {
                        if (r == 0) throw c.argError(argIndex, "division by zero");
                        if (l == Long.MIN_VALUE && r == -1) throw new ArithmeticException();
                        yield l % r == 0 ? IntValue.of(l / r) : FloatValue.of((double) l / r);
                    }
                };
            } catch (ArithmeticException e) {
                throw c.error("integer overflow (results must fit in 64 bits)");
            }
        }
        double l = asDouble(a);
        double r = asDouble(b);
        return switch (op) {
            case ADD -> FloatValue.of(l + r);
            case SUB -> FloatValue.of(l - r);
            case MUL -> FloatValue.of(l * r);
            default -> {
                if (r == 0) throw c.argError(argIndex, "division by zero");
                yield FloatValue.of(l / r);
            }
        };
    }
}
