package dev.rtfs.microvm.agentconfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys one map of the schema allows, by canonical spelling. {@code strict}: unknown keys are errors (set on
 * :orchestrator, :network, :microvm and inherited by everything below them), otherwise warnings.
 */
record MapSpec(Map<String, Field> fields, boolean strict) {

    record Field(String name, FieldType type, boolean required) {}

    MapSpec {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    static MapSpec of(boolean strict, Field... fields) {
        Map<String, Field> m = new LinkedHashMap<>();
        for (Field f : fields) m.put(f.name(), f);
        return new MapSpec(m, strict);
    }

    static Field required(String name, FieldType type) { return new Field(name, type, true); }

    static Field optional(String name, FieldType type) { return new Field(name, type, false); }

    /** The canonical spelling a written key stands for ('_' and '-' are interchangeable), or null. */
    String canonical(String written) {
        if (fields.containsKey(written)) return written;
        String norm = normalize(written);
        for (String name : fields.keySet()) if (normalize(name).equals(norm)) return name;
        return null;
    }

    List<String> names() { return List.copyOf(fields.keySet()); }

    static String normalize(String key) { return key.replace('-', '_'); }
}
