package dev.rtfs.microvm.rtfslang;

import java.util.HashMap;
import java.util.Map;

/** Forms whose operands are not evaluated like call arguments. Their names cannot be shadowed. */
enum SpecialForm {
    QUOTE("quote"),
    DO("do"),
    IF("if"),
    WHEN("when"),
    COND("cond"),
    AND("and"),
    OR("or"),
    LET("let"),
    DEF("def"),
    DEFN("defn"),
    FN("fn"),
    THREAD_FIRST("->"),
    THREAD_LAST("->>");

    final String rtfsName;

    SpecialForm(String rtfsName) {
        this.rtfsName = rtfsName;
    }

    static Map<String, SpecialForm> byName() {
        Map<String, SpecialForm> m = new HashMap<>();
        for (SpecialForm f : values()) m.put(f.rtfsName, f);
        return Map.copyOf(m);
    }
}
