package dev.rtfs.microvm.rtfslang;

import static dev.rtfs.microvm.rtfslang.EvalFixtures.eval;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.evalError;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.printed;
import static dev.rtfs.microvm.rtfslang.EvalFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EvalBuiltinsTest {

    /** Each row: an expression and its printed value. */
    @ParameterizedTest(name = "{0} => {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
        (assoc {:a 1} :b 2)                              | {:a 1 :b 2}
        (assoc {:a 1 :b 2} :a 3 :c 4)                    | {:a 3 :b 2 :c 4}
        (assoc nil :a 1)                                 | {:a 1}
        (assoc [1 2] 0 :x 2 :y)                          | [:x 2 :y]
        (assoc-in {} [:a :b :c] 1)                       | {:a {:b {:c 1}}}
        (assoc-in {:a {:b 1 :c 2}} [:a :b] 9)            | {:a {:b 9 :c 2}}
        (assoc-in {:a [1 {:x 0}]} [:a 1 :x] 5)           | {:a [1 {:x 5}]}
        (dissoc {:a 1 :b 2 :c 3} :a :c :zz)              | {:b 2}
        (dissoc nil :a)                                  | nil
        (update {:n 1} :n inc)                           | {:n 2}
        (update {:n 1} :n + 10 20)                       | {:n 31}
        (update {} :xs conj 1)                           | {:xs (1)}
        (update-in {:a {:n 1}} [:a :n] * 5)              | {:a {:n 5}}
        (update-in {} [:a :b] (fn [old] (nil? old)))     | {:a {:b true}}
        (merge {:a 1 :b 1} {:b 2 :c 2} nil {:d 3})       | {:a 1 :b 2 :c 2 :d 3}
        (merge)                                          | nil
        (merge nil {:a 1})                               | {:a 1}
        (deep-merge {:a {:b 1 :c {:d 1}}} {:a {:c {:e 2}}} {:a {:b 3}}) | {:a {:b 3 :c {:d 1 :e 2}}}
        (deep-merge {:a {:b 1}} {:a 5})                  | {:a 5}
        (deep-merge {:a 5} {:a {:b 1}})                  | {:a {:b 1}}
        (get {:a 1} :a)                                  | 1
        (get {:a 1} :b)                                  | nil
        (get {:a 1} :b :dflt)                            | :dflt
        (get [10 20] 1)                                  | 20
        (get [10 20] 5)                                  | nil
        (get #{:x} :x)                                   | :x
        (get nil :a)                                     | nil
        (get-in {:a {:b [1 {:c 7}]}} [:a :b 1 :c])      | 7
        (get-in {:a 1} [:a :b] :none)                    | :none
        (get-in {:a 1} [])                               | {:a 1}
        (contains? {:a nil} :a)                          | true
        (contains? {:a 1} :b)                            | false
        (contains? #{1} 1)                               | true
        (contains? [5 6] 1)                              | true
        (contains? nil :a)                               | false
        (keys {:a 1 :b 2})                               | [:a :b]
        (vals {:a 1 :b 2})                               | [1 2]
        (select-keys {:a 1 :b 2 :c 3} [:c :a :z])        | {:c 3 :a 1}
        (vector)                                         | []
        (vector 1 "a" :b)                                | [1 "a" :b]
        (vec (list 1 2))                                 | [1 2]
        (hash-map :a 1 :b 2)                             | {:a 1 :b 2}
        (hash-map :a 1 :a 2)                             | {:a 2}
        (hash-set 1 2 1)                                 | #{1 2}
        (list 1 2)                                       | (1 2)
        (conj [1] 2 3)                                   | [1 2 3]
        (conj (list 1) 2 3)                              | (3 2 1)
        (conj nil 1)                                     | (1)
        (conj #{1} 2 1)                                  | #{1 2}
        (conj {:a 1} [:b 2] {:c 3})                      | {:a 1 :b 2 :c 3}
        (concat [1 2] (list 3) nil [4])                  | [1 2 3 4]
        (concat (list 1) [2])                            | (1 2)
        (concat)                                         | []
        (into [] (list 1 2))                             | [1 2]
        (into {:a 1} [[:b 2]])                           | {:a 1 :b 2}
        (into {} {:a 1})                                 | {:a 1}
        (into #{} [1 1 2])                               | #{1 2}
        (count [1 2 3])                                  | 3
        (count {:a 1})                                   | 1
        (count nil)                                      | 0
        (count "héllo")                                  | 5
        (count (agent.config :a 1 :b 2))                 | 2
        (first [1 2])                                    | 1
        (first [])                                       | nil
        (first nil)                                      | nil
        (first {:a 1})                                   | [:a 1]
        (second [1 2])                                   | 2
        (last [1 2 3])                                   | 3
        (rest [1 2 3])                                   | [2 3]
        (rest (list 1 2 3))                              | (2 3)
        (rest [])                                        | []
        (nth [1 2] 1)                                    | 2
        (nth [1 2] 5 :none)                              | :none
        (map inc [1 2 3])                                | [2 3 4]
        (map inc (list 1 2))                             | (2 3)
        (map + [1 2 3] [10 20])                          | [11 22]
        (map (fn [[k v]] v) {:a 1 :b 2})                 | [1 2]
        (filter (fn [x] (> x 1)) [1 2 3])                | [2 3]
        (filter nil? (list 1 nil))                       | (nil)
        (reduce + [1 2 3 4])                             | 10
        (reduce + 100 [1 2])                             | 103
        (reduce + [])                                    | 0
        (reduce (fn [m k] (assoc m k true)) {} [:a :b])  | {:a true :b true}
        (apply + 1 2 [3 4])                              | 10
        (apply str ["a" "b"])                            | "ab"
        (str)                                            | ""
        (str "a" 1 :k nil 2.5 true [1 "x"])              | "a1:k2.5true[1 \\"x\\"]"
        (keyword "abc")                                  | :abc
        (keyword :abc)                                   | :abc
        (name :allow-domains)                            | "allow-domains"
        (name "s")                                       | "s"
        (name (quote sym))                               | "sym"
        (= 1 1)                                          | true
        (= 1 1 2)                                        | false
        (= [1 2] (list 1 2))                             | true
        (= {:a [1]} {:a (list 1)})                       | true
        (= 1 1.0)                                        | false
        (= "a" "a")                                      | true
        (= (agent.config :a 1) (agent.config :a 1))      | true
        (not= 1 2)                                       | true
        (not nil)                                        | true
        (not 0)                                          | false
        (< 1 2 3)                                        | true
        (< 1 3 2)                                        | false
        (> 3 2.5)                                        | true
        (<= 1 1 2)                                       | true
        (>= 2 2 3)                                       | false
        (< 1 ##NaN)                                      | false
        (> ##NaN 1)                                      | false
        (<= ##NaN ##NaN)                                 | false
        (>= 1 ##Inf)                                     | false
        (+)                                              | 0
        (+ 1 2 3)                                        | 6
        (+ 1 2.5)                                        | 3.5
        (- 5)                                            | -5
        (- 0.0)                                          | -0.0
        (- -2.5)                                         | 2.5
        (- 10 1 2)                                       | 7
        (*)                                              | 1
        (* 2 3 4)                                        | 24
        (/ 12 3)                                         | 4
        (/ 7 2)                                          | 3.5
        (/ 2)                                            | 0.5
        (/ 1.0 4)                                        | 0.25
        (inc 1)                                          | 2
        (dec 1.5)                                        | 0.5
        (nil? nil)                                       | true
        (nil? false)                                     | false
        (some? false)                                    | true
        (string? "s")                                    | true
        (string? :s)                                     | false
        (number? 1)                                      | true
        (number? 1.5)                                    | true
        (number? "1")                                    | false
        (integer? 1.5)                                   | false
        (keyword? :k)                                    | true
        (boolean? false)                                 | true
        (map? {})                                        | true
        (map? (agent.config))                            | true
        (map? [])                                        | false
        (vector? [])                                     | true
        (vector? (list))                                 | false
        (list? (list))                                   | true
        (set? #{})                                       | true
        (fn? inc)                                        | true
        (fn? (fn [] 1))                                  | true
        (fn? :k)                                         | false
        (empty? [])                                      | true
        (empty? "")                                      | true
        (empty? {:a 1})                                  | false
        (:a {:a 1})                                      | 1
        (:b {:a 1} 2)                                    | 2
        ({:a 1} :a)                                      | 1
        """)
    void builtin(String expression, String expected) {
        assertThat(printed(expression)).isEqualTo(expected);
    }

    @Test
    void mapBuiltinsKeepTheTagOfAnAgentConfig() {
        Value v = eval("(-> (agent.config :version \"1\" :network {:enabled false})"
                + " (assoc :agent-id \"a\") (assoc-in [:network :enabled] true) (dissoc :version)"
                + " (update :agent-id str \"-x\") (merge {:profile :p}) (deep-merge {:network {:egress {:via :proxy}}}))");
        assertThat(v).isInstanceOf(TaggedValue.class);
        TaggedValue t = (TaggedValue) v;
        assertThat(t.tag()).isEqualTo("agent.config");
        assertThat(t.map()).isEqualTo(read("{:network {:enabled true :egress {:via :proxy}} :agent-id \"a-x\" :profile :p}"));
        assertThat(t.args()).as("args describe only the constructor call").isEmpty();
        assertThat(printed("(get-in (agent.config :a {:b 1}) [:a :b])")).isEqualTo("1");
        assertThat(printed("(keys (agent.config :a 1 :b 2))")).isEqualTo("[:a :b]");
        assertThat(printed("(contains? (agent.config :a 1) :a)")).isEqualTo("true");
        assertThat(printed("(update-in (agent.config :a {:n 1}) [:a :n] inc)")).isEqualTo("(agent.config :a {:n 2})");
        assertThat(printed("(merge {:x 1} (agent.config :a 1))")).as("result kind follows the first map").isEqualTo("{:x 1 :a 1}");
    }

    @Test
    void deepMergeKeepsNestedTags() {
        assertThat(printed("(deep-merge {:c (agent.config :a {:b 1})} {:c {:a {:d 2}}})"))
                .isEqualTo("{:c (agent.config :a {:b 1 :d 2})}");
    }

    @Test
    void arithmeticNeverWrapsSilently() {
        assertThat(evalError("(+ 9223372036854775807 1)").getMessage()).contains("integer overflow");
        assertThat(evalError("(* 4611686018427387904 2)").getMessage()).contains("integer overflow");
        assertThat(evalError("(- -9223372036854775807 2)").getMessage()).contains("integer overflow");
        assertThat(evalError("(/ -9223372036854775808 -1)").getMessage()).contains("integer overflow");
    }

    @Test
    void higherOrderBuiltinsCallUserFunctionsAndBuiltins() {
        assertThat(printed("(defn sq [x] (* x x)) (map sq [1 2 3])")).isEqualTo("[1 4 9]");
        assertThat(printed("(map :id [{:id 1} {:id 2}])")).isEqualTo("[1 2]");
        assertThat(printed("(reduce (fn [acc d] (conj acc (str \"*.\" d))) [] [\"a.com\" \"b.org\"])"))
                .isEqualTo("[\"*.a.com\" \"*.b.org\"]");
    }
}
