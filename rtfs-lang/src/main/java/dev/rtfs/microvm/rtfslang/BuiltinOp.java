package dev.rtfs.microvm.rtfslang;

/**
 * The built-in functions: RTFS name and arity ({@code maxArgs} -1 = variadic). Implemented by
 * {@link Builtins} with one switch (no lambda per built-in: cheaper start-up for a short-lived CLI).
 */
enum BuiltinOp {
    // maps (TaggedValue too: they act on its map and keep the tag)
    ASSOC("assoc", 3, -1),
    ASSOC_IN("assoc-in", 3, 3),
    DISSOC("dissoc", 1, -1),
    UPDATE("update", 3, -1),
    UPDATE_IN("update-in", 3, -1),
    MERGE("merge", 0, -1),
    DEEP_MERGE("deep-merge", 0, -1),
    GET("get", 2, 3),
    GET_IN("get-in", 2, 3),
    CONTAINS("contains?", 2, 2),
    KEYS("keys", 1, 1),
    VALS("vals", 1, 1),
    SELECT_KEYS("select-keys", 2, 2),
    // constructors
    VECTOR("vector", 0, -1),
    VEC("vec", 1, 1),
    HASH_MAP("hash-map", 0, -1),
    HASH_SET("hash-set", 0, -1),
    LIST("list", 0, -1),
    AGENT_CONFIG("agent.config", 0, -1),
    // sequences
    CONJ("conj", 1, -1),
    CONCAT("concat", 0, -1),
    INTO("into", 2, 2),
    COUNT("count", 1, 1),
    FIRST("first", 1, 1),
    SECOND("second", 1, 1),
    LAST("last", 1, 1),
    REST("rest", 1, 1),
    NTH("nth", 2, 3),
    MAP("map", 2, -1),
    FILTER("filter", 2, 2),
    REDUCE("reduce", 2, 3),
    APPLY("apply", 2, -1),
    // strings, keywords
    STR("str", 0, -1),
    KEYWORD("keyword", 1, 1),
    NAME("name", 1, 1),
    // logic and comparison
    EQ("=", 1, -1),
    NOT_EQ("not=", 1, -1),
    NOT("not", 1, 1),
    LT("<", 1, -1),
    GT(">", 1, -1),
    LE("<=", 1, -1),
    GE(">=", 1, -1),
    // arithmetic
    ADD("+", 0, -1),
    SUB("-", 1, -1),
    MUL("*", 0, -1),
    DIV("/", 1, -1),
    INC("inc", 1, 1),
    DEC("dec", 1, 1),
    // predicates
    NIL_Q("nil?", 1, 1),
    SOME_Q("some?", 1, 1),
    STRING_Q("string?", 1, 1),
    NUMBER_Q("number?", 1, 1),
    INTEGER_Q("integer?", 1, 1),
    KEYWORD_Q("keyword?", 1, 1),
    BOOLEAN_Q("boolean?", 1, 1),
    MAP_Q("map?", 1, 1),
    VECTOR_Q("vector?", 1, 1),
    LIST_Q("list?", 1, 1),
    SET_Q("set?", 1, 1),
    FN_Q("fn?", 1, 1),
    EMPTY_Q("empty?", 1, 1);

    final String rtfsName;
    final int minArgs;
    final int maxArgs;

    BuiltinOp(String rtfsName, int minArgs, int maxArgs) {
        this.rtfsName = rtfsName;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
    }

    boolean accepts(int argc) {
        return argc >= minArgs && (maxArgs < 0 || argc <= maxArgs);
    }

    String describeArity() {
        if (maxArgs < 0) return minArgs + " or more";
        if (minArgs == maxArgs) return Integer.toString(minArgs);
        return minArgs + " to " + maxArgs;
    }
}
