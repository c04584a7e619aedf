package dev.rtfs.microvm.vmm;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validators for single definitions of an upstream API document (Firecracker swagger 2.0 {@code #/definitions},
 * Cloud Hypervisor OpenAPI 3.0 {@code #/components/schemas}).
 *
 * <p>Strict mode: upstream object schemas mostly omit {@code additionalProperties: false}, yet Firecracker
 * rejects unknown nested fields. Strict loading adds it to every object schema that lists {@code properties}
 * and does not say otherwise, so "unknown field" is a validation failure here as it is at runtime.
 */
public final class UpstreamSchemas {

    private final ObjectNode root;
    private final String container;
    private final Dialect dialect;
    private final Map<String, Schema> compiled = new java.util.concurrent.ConcurrentHashMap<>();

    private UpstreamSchemas(ObjectNode root, String container, Dialect dialect) {
        this.root = root;
        this.container = container;
        this.dialect = dialect;
    }

    public static UpstreamSchemas swagger2(Path yaml, boolean strict) {
        return load(yaml, "definitions", Dialects.getDraft4(), strict);
    }

    public static UpstreamSchemas openApi30(Path yaml, boolean strict) {
        return load(yaml, "components/schemas", Dialects.getOpenApi30(), strict);
    }

    private static UpstreamSchemas load(Path yaml, String container, Dialect dialect, boolean strict) {
        JsonNode doc = new YAMLMapper().readTree(yaml.toFile());
        JsonNode defs = doc.at("/" + container);
        if (!defs.isObject() || defs.isEmpty()) {
            throw new IllegalStateException(yaml + " has no /" + container);
        }
        ObjectNode copy = (ObjectNode) defs.deepCopy();
        if (strict) {
            for (Map.Entry<String, JsonNode> e : copy.properties()) closeObjects(e.getValue());
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode at = root;
        String[] parts = container.split("/");
        for (int i = 0; i < parts.length - 1; i++) at = at.putObject(parts[i]);
        at.set(parts[parts.length - 1], copy);
        return new UpstreamSchemas(root, container, dialect);
    }

    /** Walks schema positions only (not property names), adding additionalProperties:false to open objects. */
    private static void closeObjects(JsonNode schema) {
        if (!(schema instanceof ObjectNode s)) return;
        if (s.has("properties") && !s.has("additionalProperties") && !s.has("$ref")) {
            s.put("additionalProperties", false);
        }
        JsonNode props = s.get("properties");
        if (props != null && props.isObject()) {
            for (Map.Entry<String, JsonNode> e : props.properties()) closeObjects(e.getValue());
        }
        JsonNode items = s.get("items");
        if (items != null) closeObjects(items);
        JsonNode additional = s.get("additionalProperties");
        if (additional != null && additional.isObject()) closeObjects(additional);
        for (String combiner : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode arr = s.get(combiner);
            if (arr != null && arr.isArray()) {
                for (Iterator<JsonNode> it = arr.iterator(); it.hasNext(); ) closeObjects(it.next());
            }
        }
    }

    public boolean has(String definition) {
        return root.at("/" + container + "/" + definition).isObject();
    }

    /** Validation errors of {@code instance} against one named definition; empty = valid. */
    public List<Error> validate(String definition, JsonNode instance) {
        if (!has(definition)) throw new IllegalArgumentException("no definition " + definition);
        Schema schema = compiled.computeIfAbsent(definition, d -> {
            ObjectNode doc = root.deepCopy();
            doc.put("$ref", "#/" + container + "/" + d);
            return SchemaRegistry.withDefaultDialect(dialect).getSchema(SchemaLocation.of("urn:rtfs:anchors:" + d), doc);
        });
        return schema.validate(instance);
    }
}
