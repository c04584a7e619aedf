package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

/** Evaluates RTFS source text for the evaluator tests. */
final class EvalFixtures {

    static final String MAIN = "main.rtfs";

    private EvalFixtures() { }

    static Value eval(String source) {
        return Rtfs.evaluate(new SourceFile(MAIN, source));
    }

    static Value evalWith(String macros, String source) {
        return Rtfs.evaluate(List.of(new SourceFile("macros.rtfs", macros)), new SourceFile(MAIN, source));
    }

    /** The value of {@code source}, compared by reading {@code expected} (spans are ignored by equality). */
    static Value read(String expected) {
        return RtfsReader.readOne("expected.rtfs", expected);
    }

    static String printed(String source) {
        return RtfsPrinter.print(eval(source));
    }

    static RtfsEvalException evalError(String source) {
        return evalErrorWith(List.of(), source, EvalLimits.DEFAULT);
    }

    static RtfsEvalException evalErrorWith(List<SourceFile> loads, String source, EvalLimits limits) {
        RtfsEvalException[] caught = new RtfsEvalException[1];
        assertThatThrownBy(() -> Rtfs.evaluate(loads, new SourceFile(MAIN, source), limits))
                .isInstanceOfSatisfying(RtfsEvalException.class, e -> caught[0] = e);
        return caught[0];
    }
}
