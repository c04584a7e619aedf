package dev.rtfs.microvm.vmm;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper for hypervisor documents: fields in declaration order (which follows the upstream
 * schemas), unknown fields rejected when reading (Firecracker rejects unknown nested fields too).
 */
public final class VmmJson {

    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private VmmJson() {}

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Pretty JSON with a trailing newline, stable across runs (golden files compare it byte for byte). */
    public static String pretty(Object value) {
        return MAPPER.writeValueAsString(value) + "\n";
    }

    /** Compact single-line JSON (HTTP bodies). */
    public static String compact(Object value) {
        return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    }

    public static <T> T read(String json, Class<T> type) throws JacksonException {
        return MAPPER.readValue(json, type);
    }
}
