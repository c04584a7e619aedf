package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtfsTest {

    @Test
    void loadsAreEvaluatedFirstInOneEnvironment() {
        Value v = Rtfs.evaluate(
                List.of(new SourceFile("a.rtfs", "(def base {:a 1})"),
                        new SourceFile("b.rtfs", "(defn with-b [m] (assoc m :b 2))")),
                new SourceFile("main.rtfs", "(with-b base)"));
        assertThat(v).isEqualTo(RtfsReader.readOne("x", "{:a 1 :b 2}"));
    }

    @Test
    void everyCallStartsWithAFreshEnvironment() {
        Rtfs.evaluate(new SourceFile("one.rtfs", "(def leaked 1)"));
        assertThatThrownBy(() -> Rtfs.evaluate(new SourceFile("two.rtfs", "leaked")))
                .isInstanceOf(RtfsEvalException.class)
                .hasMessage("unbound symbol: leaked");
    }

    @Test
    void builtinsCanBeShadowedWithoutAffectingLaterCalls() {
        assertThat(Rtfs.evaluate(new SourceFile("a", "(defn count [x] :mine) (count [1])"))).isEqualTo(KeywordValue.of("mine"));
        assertThat(Rtfs.evaluate(new SourceFile("b", "(count [1])"))).isEqualTo(IntValue.of(1));
    }

    @Test
    void emptyMainIsNilAtTheFileStart() {
        Value v = Rtfs.evaluate(new SourceFile("empty.rtfs", "  ; nothing\n"));
        assertThat(v).isEqualTo(NilValue.NIL);
        assertThat(v.span().location()).isEqualTo("empty.rtfs:1:1");
    }

    @Test
    void fuelIsSharedAcrossLoadsAndMain() {
        // each (+ 1 2) costs 4 steps: the call form, the head and two arguments
        List<SourceFile> loads = List.of(new SourceFile("l", "(+ 1 2) (+ 1 2)"));
        assertThatThrownBy(() -> Rtfs.evaluate(loads, new SourceFile("m", "(+ 1 2)"), new EvalLimits(11, 64)))
                .isInstanceOf(RtfsEvalException.class)
                .hasMessageStartingWith("evaluation budget exhausted");
        assertThat(Rtfs.evaluate(loads, new SourceFile("m", "(+ 1 2)"), new EvalLimits(12, 64))).isEqualTo(IntValue.of(3));
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new EvalLimits(0, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvalLimits(10, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
