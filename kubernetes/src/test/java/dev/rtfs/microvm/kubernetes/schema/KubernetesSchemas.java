package dev.rtfs.microvm.kubernetes.schema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Offline, strict validation of Kubernetes objects against the vendored OpenAPI definitions of one Kubernetes
 * version (test resource {@code kubernetes-openapi/<version>/swagger.json.gz}), like {@code kubeconform -strict}.
 *
 * <p>The swagger is read and converted once ({@link StrictDefinitions}); objects are matched to their definition by
 * {@code apiVersion} and {@code kind} through {@code x-kubernetes-group-version-kind}, and one compiled schema per
 * group-version-kind is cached. Validation uses JSON Schema draft 4: swagger 2.0's Schema Object is a subset of
 * draft 4 (its spec cites the draft-4 core and validation documents), so draft 4's semantics are the swagger's —
 * later drafts change {@code $ref} siblings and {@code exclusiveMinimum}, which the swagger never meant.
 *
 * <p>Problems are strings {@code <kind>/<metadata.name> <JSON path>: <message>}, never exceptions.
 */
public final class KubernetesSchemas {

    /** Enough for the swagger (4.0 MB uncompressed) with room for growth; a bigger resource is refused. */
    private static final int MAX_SWAGGER_BYTES = 64 * 1024 * 1024;
    /** Bounds the output for a badly broken object; the first problems are the informative ones. */
    static final int MAX_PROBLEMS_PER_OBJECT = 50;
    private static final int MAX_MESSAGE_CHARS = 300;

    private final String kubernetesVersion;
    private final ObjectNode definitions;
    private final Map<GroupVersionKind, String> definitionByGvk;
    private final SchemaRegistry registry;
    private final Map<GroupVersionKind, Schema> compiled = new ConcurrentHashMap<>();
    private final YAMLMapper yaml;

    private KubernetesSchemas(String kubernetesVersion, ObjectNode definitions, Map<GroupVersionKind, String> definitionByGvk) {
        this.kubernetesVersion = kubernetesVersion;
        this.definitions = definitions;
        this.definitionByGvk = definitionByGvk;
        // Locale.ROOT: messages are the same on every machine; typeLoose off: "1" is not an integer.
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .locale(Locale.ROOT).typeLoose(false).pathType(PathType.JSON_PATH).build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft4(), b -> b.schemaRegistryConfig(config));
        // Duplicate keys are an error for the API server's strict decoding; Jackson would keep the last silently.
        // Trailing tokens are the next documents of the stream, read one by one.
        this.yaml = YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    private static final class V127 {
        static final KubernetesSchemas INSTANCE = fromClasspath("v1.27.0");
    }

    /** Kubernetes v1.27.0, loaded once per JVM. */
    public static KubernetesSchemas v1_27() {
        return V127.INSTANCE;
    }

    /** The schemas of {@code /kubernetes-openapi/<version>/swagger.json.gz} on the test classpath. */
    static KubernetesSchemas fromClasspath(String version) {
        String resource = "/kubernetes-openapi/" + version + "/swagger.json.gz";
        try (InputStream raw = KubernetesSchemas.class.getResourceAsStream(resource)) {
            if (raw == null) throw new IllegalStateException("no test resource " + resource);
            byte[] json;
            try (InputStream in = new GZIPInputStream(raw)) {
                json = in.readNBytes(MAX_SWAGGER_BYTES + 1);
            }
            if (json.length > MAX_SWAGGER_BYTES) throw new IllegalStateException(resource + " is over " + MAX_SWAGGER_BYTES + " bytes");
            return fromSwagger(version, JsonMapper.builder().build().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    static KubernetesSchemas fromSwagger(String version, JsonNode swagger) {
        JsonNode swaggerDefinitions = swagger.path("definitions");
        if (!swaggerDefinitions.isObject() || swaggerDefinitions.isEmpty()) {
            throw new IllegalStateException("the Kubernetes " + version + " swagger has no definitions");
        }
        Map<GroupVersionKind, String> byGvk = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : swaggerDefinitions.properties()) {
            for (JsonNode gvk : e.getValue().path(StrictDefinitions.GVK_EXTENSION)) {
                byGvk.put(new GroupVersionKind(gvk.path("group").asString(""), gvk.path("version").asString(""),
                        gvk.path("kind").asString("")), e.getKey());
            }
        }
        return new KubernetesSchemas(version, StrictDefinitions.convert(swaggerDefinitions), Map.copyOf(byGvk));
    }

    public String kubernetesVersion() {
        return kubernetesVersion;
    }

    /** The converted definitions (strict draft-4 schemas by definition name); read-only by convention. */
    ObjectNode definitions() {
        return definitions;
    }

    /** The definition name of a group-version-kind, e.g. {@code io.k8s.api.core.v1.Pod} for {@code v1, Pod}. */
    public Optional<String> definitionOf(GroupVersionKind gvk) {
        return Optional.ofNullable(definitionByGvk.get(gvk));
    }

    /** Every group-version-kind of the version with its definition name (immutable). */
    public Map<GroupVersionKind, String> groupVersionKinds() {
        return definitionByGvk;
    }

    /** Problems of one object; empty = valid. */
    public List<String> validate(JsonNode object) {
        if (object == null || !object.isObject()) {
            return List.of("document: a Kubernetes object must be a mapping, not " + describe(object));
        }
        String label = labelOf(object);
        JsonNode apiVersion = object.path("apiVersion");
        JsonNode kind = object.path("kind");
        if (!apiVersion.isString() || apiVersion.asString().isEmpty() || !kind.isString() || kind.asString().isEmpty()) {
            return List.of(label + " $: apiVersion and kind are required strings");
        }
        GroupVersionKind gvk = GroupVersionKind.of(apiVersion.asString(), kind.asString());
        String definition = definitionByGvk.get(gvk);
        if (definition == null) {
            return List.of(label + " $: no Kubernetes " + kubernetesVersion + " schema for apiVersion "
                    + gvk.apiVersion() + ", kind " + gvk.kind());
        }
        List<Error> errors = compiled.computeIfAbsent(gvk, g -> compile(g, definition)).validate(object);
        List<String> problems = new ArrayList<>();
        for (Error error : errors) SchemaErrorText.of(error).ifPresent(text -> problems.add(label + " " + text));
        if (problems.size() > MAX_PROBLEMS_PER_OBJECT) {
            int hidden = problems.size() - MAX_PROBLEMS_PER_OBJECT;
            problems.subList(MAX_PROBLEMS_PER_OBJECT, problems.size()).clear();
            problems.add(label + " $: " + hidden + " more problems not shown");
        }
        return List.copyOf(problems);
    }

    /**
     * Problems of every document of a multi-document YAML stream; an empty document is skipped, a non-mapping one
     * or unparsable YAML is a problem (parsing stops there: the YAML after a syntax error has no reliable structure).
     */
    public List<String> validateYaml(String multiDocumentYaml) {
        List<String> problems = new ArrayList<>();
        int document = 0;
        // A parser loop, not readValues: Jackson's MappingIterator unwraps a top-level sequence into its elements,
        // which would turn a "- a" document into valid-looking documents instead of one problem.
        try (JsonParser parser = yaml.createParser(multiDocumentYaml)) {
            while (parser.nextToken() != null) {
                document++;
                JsonNode node = yaml.readTree(parser);
                if (node == null || node.isNull() || node.isMissingNode()) continue;
                if (!node.isObject()) {
                    problems.add("document " + document + ": a Kubernetes object must be a mapping, not " + describe(node));
                    continue;
                }
                problems.addAll(validate(node));
            }
        } catch (JacksonException e) {
            problems.add("YAML" + locationOf(e) + ": not valid YAML: " + oneLine(e.getOriginalMessage()));
        }
        return List.copyOf(problems);
    }

    private Schema compile(GroupVersionKind gvk, String definition) {
        // The definitions node is shared, not copied: each root only adds its own $ref.
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("definitions", definitions);
        root.put("$ref", "#/definitions/" + definition);
        String id = "urn:rtfs:kubernetes-" + kubernetesVersion + ":" + gvk.apiVersion().replace('/', ':') + ":" + gvk.kind();
        return registry.getSchema(SchemaLocation.of(id), root);
    }

    /** {@code Kind/name} as kubectl prints it; generateName objects show their prefix and a star. */
    private static String labelOf(JsonNode object) {
        JsonNode kind = object.path("kind");
        JsonNode metadata = object.path("metadata");
        String name = metadata.path("name").isString() ? metadata.path("name").asString()
                : metadata.path("generateName").isString() ? metadata.path("generateName").asString() + "*"
                : "(no name)";
        return (kind.isString() && !kind.asString().isEmpty() ? kind.asString() : "(no kind)") + "/" + name;
    }

    private static String locationOf(JacksonException e) {
        return e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    /** SnakeYAML's messages span lines and quote the input; one bounded line is enough to find the spot. */
    private static String oneLine(String message) {
        String flat = String.valueOf(message).replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_MESSAGE_CHARS ? flat : flat.substring(0, MAX_MESSAGE_CHARS) + "...";
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) return "nothing";
        return switch (node.getNodeType()) {
            case ARRAY -> "a sequence";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }
}
