package dev.rtfs.microvm.rtfslang;

import static dev.rtfs.microvm.rtfslang.EvalFixtures.MAIN;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.evalError;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.evalErrorWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvalErrorsTest {

    @Test
    void unboundSymbolPointsAtTheSymbol() {
        RtfsEvalException e = evalError("(+ 1\n   undefined-thing)");
        assertThat(e.code()).isEqualTo("RTFS_EVAL");
        assertThat(e.getMessage()).isEqualTo("unbound symbol: undefined-thing");
        assertThat(e.span().location()).isEqualTo(MAIN + ":2:4");
        assertThat(e.stack()).isEmpty();
    }

    @Test
    void arityErrorOfAUserFunctionPointsAtTheCall() {
        RtfsEvalException e = evalError("(defn f [a b] a)\n(f 1)");
        assertThat(e.getMessage()).isEqualTo("wrong number of arguments (1) passed to f; expected 2");
        assertThat(e.span().location()).isEqualTo(MAIN + ":2:1");
        assertThat(evalError("(defn g ([] 1) ([a b] 2) ([a b c & d] 3)) (g 1)").getMessage())
                .endsWith("expected 0, 2 or 3 or more");
    }

    @Test
    void arityErrorOfABuiltin() {
        RtfsEvalException e = evalError("  (get {:a 1})");
        assertThat(e.getMessage()).isEqualTo("wrong number of arguments (1) passed to get; expected 2 to 3");
        assertThat(e.span().location()).isEqualTo(MAIN + ":1:3");
        assertThat(evalError("(assoc-in {} [:a])").getMessage()).endsWith("expected 3");
        assertThat(evalError("(count)").getMessage()).endsWith("expected 1");
    }

    @Test
    void typeErrorPointsAtTheOffendingArgument() {
        RtfsEvalException e = evalError("(+ 1\n  \"two\")");
        assertThat(e.getMessage()).isEqualTo("+: argument 2 must be a number, got string");
        assertThat(e.span().location()).isEqualTo(MAIN + ":2:3");
        assertThat(evalError("(assoc \"s\" :a 1)").getMessage()).contains("cannot assoc :a into a string");
        assertThat(evalError("(assoc-in {:a \"s\"} [:a :b :c] 1)").getMessage())
                .contains("cannot walk into a string at path [:a]");
        assertThat(evalError("(merge {:a 1} [1])").getMessage()).isEqualTo("merge: argument 2 must be a map, got vector");
        assertThat(evalError("(count 5)").getMessage()).contains("must be a collection or string, got integer");
        assertThat(evalError("(keyword 5)").getMessage()).contains("must be a string, symbol or keyword");
        assertThat(evalError("(keyword \"a b\")").getMessage()).contains("\"a b\" is not a valid keyword name");
        assertThat(evalError("(keyword \"a:\")").getMessage()).contains("is not a valid keyword name");
        assertThat(evalError("(< 1 :a)").getMessage()).contains("argument 2 must be a number, got keyword");
        assertThat(evalError("(assoc {} :a 1 :b)").getMessage()).contains("the last key has no value");
        assertThat(evalError("(hash-map :a)").getMessage()).contains("the last key has no value");
        assertThat(evalError("(assoc [1] 5 :x)").getMessage()).contains("out of bounds");
        assertThat(evalError("(nth [1] 3)").getMessage()).contains("index 3 out of bounds");
        assertThat(evalError("(assoc-in {} [] 1)").getMessage()).contains("path must not be empty");
        assertThat(evalError("(get-in {} :a)").getMessage()).contains("must be a vector of keys");
    }

    @Test
    void callingANonFunctionPointsAtTheHead() {
        RtfsEvalException e = evalError("(\"str\" 1)");
        assertThat(e.getMessage()).isEqualTo("cannot call a string value as a function");
        assertThat(e.span().column()).isEqualTo(2);
    }

    @Test
    void divisionByZero() {
        RtfsEvalException e = evalError("(/ 10 2 0)");
        assertThat(e.getMessage()).isEqualTo("/: division by zero");
        assertThat(e.span().column()).isEqualTo(9);
        assertThat(evalError("(/ 1.5 0.0)").getMessage()).isEqualTo("/: division by zero");
        assertThat(evalError("(/ 0)").getMessage()).isEqualTo("/: division by zero");
    }

    @Test
    void duplicateKeysProducedByEvaluationInAMapLiteral() {
        RtfsEvalException e = evalError("(def a :k) (def b :k) {a 1 b 2}");
        assertThat(e.getMessage()).contains("duplicate key in map literal: :k");
    }

    @Test
    void errorsInsideFunctionsCarryTheCallStackInnermostFirst() {
        String src = """
                (defn inner [x]
                  (+ x :oops))
                (defn outer [x]
                  (inner x))
                (outer 1)
                """;
        RtfsEvalException e = evalError(src);
        assertThat(e.getMessage()).isEqualTo("+: argument 2 must be a number, got keyword");
        assertThat(e.span().location()).isEqualTo(MAIN + ":2:8");
        assertThat(e.stack()).extracting(Span::location).containsExactly(MAIN + ":4:3", MAIN + ":5:1");
    }

    @Test
    void errorsInsideHigherOrderBuiltinsIncludeTheirCallSite() {
        RtfsEvalException e = evalError("(defn f [x] (name x))\n(map f [:a 1])");
        assertThat(e.getMessage()).contains("name: argument 1 must be a keyword, symbol or string, got integer");
        assertThat(e.span().location()).as("the argument x of (name x)").isEqualTo(MAIN + ":1:19");
        assertThat(e.stack()).extracting(Span::location).containsExactly(MAIN + ":2:1");
    }

    @Test
    void errorsInLoadedFilesPointIntoThem() {
        RtfsEvalException e = evalErrorWith(
                List.of(new SourceFile("macros.rtfs", "(defn mk [x]\n  (assoc x :a 1))")),
                "(mk 5)", EvalLimits.DEFAULT);
        assertThat(e.span().location()).as("the argument x of (assoc x ...)").isEqualTo("macros.rtfs:2:10");
        assertThat(e.stack()).extracting(Span::location).containsExactly(MAIN + ":1:1");
    }

    @Test
    void runawayRecursionExhaustsTheBudgetQuickly() {
        long start = System.nanoTime();
        RtfsEvalException e = evalError("(defn f [] (f))\n(f)");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.getMessage()).startsWith("evaluation budget exhausted");
        assertThat(e.stack()).isNotEmpty();
        assertThat(e.stack().get(0).location()).isEqualTo(MAIN + ":1:12");
        assertThat(millis).as("ends quickly (generous bound for a loaded machine)").isLessThan(5_000);
    }

    @Test
    void nonTailRecursionAndMutualRecursionStopAtTheDepthLimit() {
        assertThat(evalError("(defn f [n] (+ 1 (f n))) (f 0)").getMessage()).startsWith("evaluation budget exhausted: nesting");
        assertThat(evalError("(defn a [n] (b n)) (defn b [n] (a n)) (a 1)").getMessage())
                .startsWith("evaluation budget exhausted");
        assertThat(evalError("(defn f [x] (map f [x])) (f 1)").getMessage()).startsWith("evaluation budget exhausted");
    }

    @Test
    void exponentialWorkExhaustsTheFuel() {
        // depth stays small, the number of calls doubles per level: only fuel stops it
        RtfsEvalException e = evalError("(defn f [n] (if (= n 0) 0 (+ (f (- n 1)) (f (- n 1))))) (f 60)");
        assertThat(e.getMessage()).startsWith("evaluation budget exhausted: more than 2000000 evaluation steps");
    }

    @Test
    void dataGrowthExhaustsTheFuelBeforeTheMemory() {
        // each step doubles the vector: 2^40 items unless concat pays per item
        RtfsEvalException e = evalError("(defn grow [v n] (if (= n 0) (count v) (grow (concat v v) (- n 1)))) (grow [1] 40)");
        assertThat(e.getMessage()).startsWith("evaluation budget exhausted: more than");
        RtfsEvalException s = evalError("(defn grow [s n] (if (= n 0) (count s) (grow (str s s) (- n 1)))) (grow \"ab\" 40)");
        assertThat(s.getMessage()).startsWith("evaluation budget exhausted: more than");
    }

    @Test
    void deeplyNestedDataIsRefused() {
        // reduce builds nesting iteratively (no deep recursion), so only the data-depth check stops it
        String src = "(reduce (fn [acc x] [acc]) nil (concat " + "[1 2 3 4 5 6 7 8 9 10] ".repeat(60) + "))";
        RtfsEvalException e = evalError(src);
        assertThat(e.getMessage()).isEqualTo("evaluation budget exhausted: data nested deeper than 512");
        // and the same nesting within the limit is fine
        assertThat(EvalFixtures.eval("(count (reduce (fn [acc x] [acc]) nil " + "[1 2 3 4 5 6 7 8 9 10]" + "))"))
                .isEqualTo(IntValue.of(1));
    }

    @Test
    void limitsAreConfigurable() {
        RtfsEvalException e = evalErrorWith(List.of(), "(+ 1 (+ 2 (+ 3 4)))", new EvalLimits(3, 100));
        assertThat(e.getMessage()).isEqualTo("evaluation budget exhausted: more than 3 evaluation steps (runaway recursion or loop?)");
        RtfsEvalException d = evalErrorWith(List.of(), "[[[[[[[[[[1]]]]]]]]]]", new EvalLimits(1000, 8));
        assertThat(d.getMessage()).startsWith("evaluation budget exhausted: nesting deeper than 8");
        assertThat(Rtfs.evaluate(List.of(), new SourceFile(MAIN, "[[[[[[1]]]]]]"), new EvalLimits(1000, 8)))
                .isEqualTo(EvalFixtures.read("[[[[[[1]]]]]]"));
    }

    @Test
    void deepestReadableLiteralEvaluates() {
        String deep = "[".repeat(RtfsReader.MAX_DEPTH) + "]".repeat(RtfsReader.MAX_DEPTH);
        assertThat(EvalFixtures.eval(deep)).isInstanceOf(VectorValue.class);
    }

    @Test
    void syntaxErrorsPassThroughUnchanged() {
        assertThatThrownBy(() -> EvalFixtures.eval("(+ 1"))
                .isInstanceOf(RtfsSyntaxException.class);
        assertThatThrownBy(() -> EvalFixtures.evalWith("(defn broken [", "1"))
                .isInstanceOfSatisfying(RtfsSyntaxException.class,
                        e -> assertThat(e.span().source()).isEqualTo("macros.rtfs"));
    }

    @Test
    void depthLimitHoldsOnATinyThreadStack() throws Exception {
        // Callers on small stacks get an RTFS error, never a StackOverflowError.
        Throwable[] thrown = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                EvalFixtures.eval("(defn f [n] (+ 1 (f n))) (f 0)");
            } catch (Throwable x) {
                thrown[0] = x;
            }
        }, "tiny-stack", 64 * 1024);
        t.start();
        t.join();
        assertThat(thrown[0]).isInstanceOf(RtfsEvalException.class);
        assertThat(thrown[0].getMessage()).startsWith("evaluation budget exhausted");
    }
}
