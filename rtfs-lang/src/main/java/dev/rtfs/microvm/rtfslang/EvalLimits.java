package dev.rtfs.microvm.rtfslang;

/**
 * Bounds on one evaluation, so that no input can run forever, exhaust memory or overflow the Java stack.
 *
 * @param fuel  evaluation steps allowed in total (every form evaluated costs one; built-ins that walk or
 *              build collections also pay per element)
 * @param depth maximum nesting of evaluation (forms inside forms, function calls inside calls) and of the
 *              data built; chosen so that evaluator and consumers stay well inside a default 1 MB thread stack
 */
record EvalLimits(long fuel, int depth) {

    /** Ample for configs, profile macros and plans; a runaway recursion stops in milliseconds. */
    public static final EvalLimits DEFAULT = new EvalLimits(2_000_000, 512);

    public EvalLimits {
        if (fuel < 1) throw new IllegalArgumentException("fuel must be positive: " + fuel);
        if (depth < 8) throw new IllegalArgumentException("depth must be at least 8: " + depth);
    }
}
