package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * Entry point of the language core: read and evaluate RTFS source. Every call gets a fresh global
 * environment and a fresh budget; nothing is shared between calls.
 */
public final class Rtfs {

    private Rtfs() { }

    /** {@link #evaluate(List, SourceFile, EvalLimits)} with {@link EvalLimits#DEFAULT}. */
    public static Value evaluate(List<SourceFile> loads, SourceFile main) {
        return evaluate(loads, main, EvalLimits.DEFAULT);
    }

    /** Evaluates a single file with no definitions loaded first. */
    public static Value evaluate(SourceFile main) {
        return evaluate(List.of(), main, EvalLimits.DEFAULT);
    }

    /**
     * Reads and evaluates every form of the {@code loads} files in order (definitions such as profile macros),
     * then the forms of {@code main}, all in one global environment, under one budget.
     *
     * @return the value of main's last top-level form (nil, spanned at the file start, when it has none)
     * @throws RtfsSyntaxException when a file does not read
     * @throws RtfsEvalException when evaluation fails or exceeds {@code limits}
     */
    public static Value evaluate(List<SourceFile> loads, SourceFile main, EvalLimits limits) {
        Evaluator ev = new Evaluator(limits);
        try {
            for (SourceFile load : loads) {
                for (Value form : RtfsReader.readAll(load)) ev.evalTopLevel(form);
            }
            Value result = NilValue.at(new Span(main.name(), 0, 1, 1, 0));
            for (Value form : RtfsReader.readAll(main)) result = ev.evalTopLevel(form);
            return result;
        } catch (StackOverflowError e) {
            // The depth limits keep evaluation far from the stack's end on a default thread stack; this is the
            // last line of defence for callers that run us on a tiny one.
            throw new RtfsEvalException("evaluation budget exhausted: nesting too deep for the thread's stack",
                    ev.currentSpan(), List.of());
        }
    }
}
