package dev.rtfs.microvm.rtfslang;

import static dev.rtfs.microvm.rtfslang.EvalFixtures.eval;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.evalError;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.printed;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvalSpecialFormsTest {

    @Test
    void literalsEvaluateToThemselves() {
        assertThat(eval("42")).isEqualTo(IntValue.of(42));
        assertThat(eval("\"s\" :k 1.5 nil true")).isEqualTo(BoolValue.TRUE);
        assertThat(eval("[1 {:a #{2}} ()]")).isEqualTo(read("[1 {:a #{2}} ()]"));
    }

    @Test
    void collectionLiteralsEvaluateTheirItems() {
        assertThat(eval("(def x 2) [x {:k x} #{x}]")).isEqualTo(read("[2 {:k 2} #{2}]"));
    }

    @Test
    void valueOfAFileIsItsLastForm() {
        assertThat(eval("1 2 3")).isEqualTo(IntValue.of(3));
        assertThat(eval("; only a comment\n")).isEqualTo(NilValue.NIL);
    }

    @Test
    void defBindsGlobalsAndReturnsTheValue() {
        assertThat(eval("(def a 1) (def b (+ a 1)) [a b]")).isEqualTo(read("[1 2]"));
        assertThat(eval("(def a \"doc\" 7) a")).isEqualTo(IntValue.of(7));
        assertThat(eval("(def a 5)")).isEqualTo(IntValue.of(5));
    }

    @Test
    void defnDefinesFunctionsWithDocstringsAndSeveralArities() {
        assertThat(eval("(defn inc2 [x] (+ x 2)) (inc2 40)")).isEqualTo(IntValue.of(42));
        assertThat(eval("(defn f \"doc\" [x] (* x 3)) (f 3)")).isEqualTo(IntValue.of(9));
        assertThat(eval("(defn g ([] (g 1)) ([x] (g x 10)) ([x y] (+ x y))) [(g) (g 2) (g 2 3)]"))
                .isEqualTo(read("[11 12 5]"));
        assertThat(eval("(defn profile:microvm-min [id] {:agent-id id}) (profile:microvm-min \"a\")"))
                .isEqualTo(read("{:agent-id \"a\"}"));
    }

    @Test
    void defnRecursesThroughTheGlobal() {
        assertThat(eval("(defn fact [n] (if (<= n 1) 1 (* n (fact (- n 1))))) (fact 20)"))
                .isEqualTo(IntValue.of(2432902008176640000L));
    }

    @Test
    void fnMakesLexicalClosures() {
        assertThat(eval("(defn adder [n] (fn [x] (+ x n))) (def add5 (adder 5)) (def n 100) (add5 1)"))
                .isEqualTo(IntValue.of(6));
        assertThat(eval("((let [y 3] (fn [x] (* x y))) 4)")).isEqualTo(IntValue.of(12));
        // a closure sees the binding at creation time, not a later shadowing one
        assertThat(eval("(let [x 1 f (fn [] x) x 2] [(f) x])")).isEqualTo(read("[1 2]"));
    }

    @Test
    void namedFnCanCallItself() {
        assertThat(eval("((fn count-down [n] (if (= n 0) :done (count-down (- n 1)))) 10)"))
                .isEqualTo(KeywordValue.of("done"));
    }

    @Test
    void restArgumentsCollectTheRemainder() {
        assertThat(eval("(defn f [a & more] [a more]) (f 1 2 3)")).isEqualTo(read("[1 (2 3)]"));
        assertThat(eval("(defn f [a & more] [a more]) (f 1)")).isEqualTo(read("[1 ()]"));
        assertThat(eval("((fn [& xs] (count xs)))")).isEqualTo(IntValue.of(0));
        assertThat(eval("(defn f [& {:keys [a b]}] [a b]) [(f {:a 1 :b 2}) (f :b 3) (f)]"))
                .isEqualTo(read("[[1 2] [nil 3] [nil nil]]"));
    }

    @Test
    void letBindsSequentially() {
        assertThat(eval("(let [a 1 b (+ a 1) a 10] [a b])")).isEqualTo(read("[10 2]"));
        assertThat(eval("(let [] 1 2)")).isEqualTo(IntValue.of(2));
        assertThat(eval("(let [x 1])")).isEqualTo(NilValue.NIL);
    }

    @Test
    void vectorAndMapDestructuring() {
        assertThat(eval("(let [[a b & r :as all] [1 2 3 4]] [a b r all])")).isEqualTo(read("[1 2 (3 4) [1 2 3 4]]"));
        assertThat(eval("(let [[a b c] [1]] [a b c])")).isEqualTo(read("[1 nil nil]"));
        assertThat(eval("(let [{:keys [x y] :or {y 9} :as m} {:x 1}] [x y m])")).isEqualTo(read("[1 9 {:x 1}]"));
        assertThat(eval("(defn f [[k v]] (str (name k) \"=\" v)) (map f {:a 1 :b 2})")).isEqualTo(read("[\"a=1\" \"b=2\"]"));
        assertThat(eval("(let [{v :version} (agent.config :version \"1\")] v)")).isEqualTo(StringValue.of("1"));
    }

    @Test
    void ifWhenCondDo() {
        assertThat(eval("(if true 1 2)")).isEqualTo(IntValue.of(1));
        assertThat(eval("(if nil 1 2)")).isEqualTo(IntValue.of(2));
        assertThat(eval("(if false 1)")).isEqualTo(NilValue.NIL);
        assertThat(eval("(if 0 :zero-is-truthy :no)")).isEqualTo(KeywordValue.of("zero-is-truthy"));
        assertThat(eval("(if [] :empty-is-truthy :no)")).isEqualTo(KeywordValue.of("empty-is-truthy"));
        assertThat(eval("(when true 1 2)")).isEqualTo(IntValue.of(2));
        assertThat(eval("(when false (undefined-fn))")).isEqualTo(NilValue.NIL);
        assertThat(eval("(cond false 1 nil 2 :else 3)")).isEqualTo(IntValue.of(3));
        assertThat(eval("(cond (= 1 1) :a :else :b)")).isEqualTo(KeywordValue.of("a"));
        assertThat(eval("(cond false 1)")).isEqualTo(NilValue.NIL);
        assertThat(eval("(do)")).isEqualTo(NilValue.NIL);
        assertThat(eval("(do (def a 1) (def b 2) (+ a b))")).isEqualTo(IntValue.of(3));
    }

    @Test
    void onlyTheTakenBranchIsEvaluated() {
        assertThat(eval("(if true :ok (undefined))")).isEqualTo(KeywordValue.of("ok"));
        assertThat(eval("(cond true :ok (undefined) 1)")).isEqualTo(KeywordValue.of("ok"));
    }

    @Test
    void andOrShortCircuitAndReturnTheDecidingValue() {
        assertThat(eval("(and)")).isEqualTo(BoolValue.TRUE);
        assertThat(eval("(or)")).isEqualTo(NilValue.NIL);
        assertThat(eval("(and 1 2 3)")).isEqualTo(IntValue.of(3));
        assertThat(eval("(and 1 nil (undefined))")).isEqualTo(NilValue.NIL);
        assertThat(eval("(or nil false 7 (undefined))")).isEqualTo(IntValue.of(7));
        assertThat(eval("(or nil false)")).isEqualTo(BoolValue.FALSE);
    }

    @Test
    void quoteReturnsTheFormUnevaluated() {
        assertThat(eval("(quote (a b [c]))")).isEqualTo(read("(a b [c])"));
        assertThat(eval("(quote x)")).isEqualTo(SymbolValue.of("x"));
    }

    @Test
    void threadFirstInsertsAsFirstArgument() {
        assertThat(eval("(-> {:a 1} (assoc :b 2) (dissoc :a))")).isEqualTo(read("{:b 2}"));
        assertThat(eval("(-> 5 (- 3))")).isEqualTo(IntValue.of(2));
        assertThat(eval("(-> 5 inc inc)")).isEqualTo(IntValue.of(7));
        assertThat(eval("(-> {:a {:b 1}} :a :b)")).isEqualTo(IntValue.of(1));
        assertThat(eval("(-> 1)")).isEqualTo(IntValue.of(1));
    }

    @Test
    void threadLastInsertsAsLastArgument() {
        assertThat(eval("(->> 5 (- 3))")).isEqualTo(IntValue.of(-2));
        assertThat(eval("(->> [1 2 3] (map inc) (filter (fn [x] (> x 2))) (reduce +))")).isEqualTo(IntValue.of(7));
    }

    @Test
    void threadedValuesAreNotEvaluatedAgain() {
        // the threaded list (a b) is data; evaluating it again would call the unbound `a`
        assertThat(printed("(-> (quote (a b)) (concat [1]))")).isEqualTo("(a b 1)");
        assertThat(printed("(->> (quote sym) (vector 1))")).isEqualTo("[1 sym]");
    }

    @Test
    void specialFormsNeedTheirShape() {
        assertThat(evalError("(if)").getMessage()).contains("if expects");
        assertThat(evalError("(let x 1)").getMessage()).contains("binding vector");
        assertThat(evalError("(let [x] x)").getMessage()).contains("even number");
        assertThat(evalError("(def 1 2)").getMessage()).contains("def expects a symbol");
        assertThat(evalError("(defn f)").getMessage()).contains("defn expects");
        assertThat(evalError("(fn [1] 1)").getMessage()).contains("cannot bind to a integer");
        assertThat(evalError("(fn [a &] 1)").getMessage()).contains("& must be followed");
        assertThat(evalError("(cond true)").getMessage()).contains("cond expects");
        assertThat(evalError("(quote)").getMessage()).contains("quote expects");
        assertThat(evalError("if").getMessage()).contains("special form");
    }
}
