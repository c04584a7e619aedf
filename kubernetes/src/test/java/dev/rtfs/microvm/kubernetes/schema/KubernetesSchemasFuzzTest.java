package dev.rtfs.microvm.kubernetes.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded mutations of the valid fixtures: the validator never throws, every line is a well-formed problem, and a
 * field renamed to a name its (closed) object does not have is always reported at its path. Re-run a failure with
 * {@code -Dfuzz.seed=<seed>}.
 */
class KubernetesSchemasFuzzTest {

    private static final KubernetesSchemas K8S = KubernetesSchemas.v1_27();
    private static final Pattern PROBLEM = Pattern.compile("^([^\\n]+/[^\\n]* \\$[^\\n]*|document \\d+|YAML line \\d+, column \\d+): [^\\n]+$");
    private static final int ROUNDS = 300;

    private static long seed() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println(KubernetesSchemasFuzzTest.class.getSimpleName() + " seed " + seed);
        return seed;
    }

    /** A field and the object holding it, with the object's path. */
    private record Field(ObjectNode parent, NodePath parentPath, String name, boolean closed) {}

    @Test
    void renamedDroppedAndRetypedFieldsAreProblemsNeverExceptionsAndEveryUnknownNameIsReported() {
        long seed = seed();
        Random random = new Random(seed);
        int renamesReported = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String fixture = SchemaFixtures.VALID.get(random.nextInt(SchemaFixtures.VALID.size()));
            ObjectNode object = (ObjectNode) SchemaFixtures.validTree(fixture);
            String definition = K8S.definitionOf(GroupVersionKind.of(object.get("apiVersion").asString(), object.get("kind").asString())).orElseThrow();
            List<Field> fields = new ArrayList<>();
            collect(object, new NodePath(PathType.JSON_PATH), K8S.definitions().get(definition), fields);
            Field field = fields.get(random.nextInt(fields.size()));
            String context = "seed " + seed + ", round " + round + ", " + fixture + " " + field.parentPath().append(field.name());
            switch (random.nextInt(3)) {
                case 0 -> {
                    if (!field.closed()) break;
                    String unknown = field.name() + "Zq" + random.nextInt(1000);
                    JsonNode value = field.parent().remove(field.name());
                    field.parent().set(unknown, value);
                    assertThat(checked(K8S.validate(object), context))
                            .as(context).anyMatch(p -> p.contains(" " + field.parentPath().append(unknown) + ": unknown field, not in "));
                    renamesReported++;
                }
                case 1 -> {
                    field.parent().remove(field.name());
                    checked(K8S.validate(object), context);
                }
                default -> {
                    field.parent().set(field.name(), randomValue(random));
                    checked(K8S.validate(object), context);
                }
            }
        }
        // About a third of the rounds rename, and most fields sit in closed objects: the rule was really exercised.
        assertThat(renamesReported).as("seed " + seed).isGreaterThan(ROUNDS / 6);
    }

    @Test
    void corruptedYamlTextIsProblemsNeverExceptions() {
        long seed = seed();
        Random random = new Random(seed);
        String[] noise = {":", "- ", "[", "]", "{", "}", "\n", "  ", "\t", "'", "\"", "&a ", "*a", "!!int ", "---\n", "#", "0x", "~"};
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder text = new StringBuilder(SchemaFixtures.valid(SchemaFixtures.VALID.get(random.nextInt(SchemaFixtures.VALID.size()))));
            for (int edits = 1 + random.nextInt(4); edits > 0; edits--) {
                int at = random.nextInt(text.length());
                if (random.nextBoolean()) text.insert(at, noise[random.nextInt(noise.length)]);
                else text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(8)));
            }
            checked(K8S.validateYaml(text.toString()), "seed " + seed + ", round " + round);
        }
    }

    private static List<String> checked(List<String> problems, String context) {
        assertThat(problems).as(context).allMatch(p -> PROBLEM.matcher(p).matches() && p.length() < 2_000);
        assertThat(problems.size()).as(context).isLessThanOrEqualTo(KubernetesSchemas.MAX_PROBLEMS_PER_OBJECT + 1);
        return problems;
    }

    /**
     * Every field under {@code node}, walking the converted schema alongside: a field counts as closed when its
     * object's schema says {@code additionalProperties: false} (a rename there must be reported; a map key may be
     * renamed freely). apiVersion and kind at the top are left alone: they choose the schema.
     */
    private static void collect(JsonNode node, NodePath path, JsonNode schema, List<Field> into) {
        JsonNode resolved = resolve(schema);
        if (node instanceof ObjectNode object) {
            boolean closed = resolved != null && resolved.path("additionalProperties").isBoolean()
                    && !resolved.path("additionalProperties").asBoolean();
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                String name = e.getKey();
                if (path.getNameCount() == 0 && (name.equals("apiVersion") || name.equals("kind"))) continue;
                into.add(new Field(object, path, name, closed));
                JsonNode child = resolved == null ? null
                        : resolved.path("properties").has(name) ? resolved.path("properties").get(name)
                        : resolved.path("additionalProperties").isObject() ? resolved.get("additionalProperties") : null;
                collect(e.getValue(), path.append(name), child, into);
            }
        } else if (node instanceof ArrayNode array) {
            JsonNode items = resolved == null ? null : resolved.get("items");
            for (int i = 0; i < array.size(); i++) collect(array.get(i), path.append(i), items, into);
        }
    }

    private static JsonNode resolve(JsonNode schema) {
        for (int hops = 0; schema != null && schema.has("$ref") && hops < 10; hops++) {
            schema = K8S.definitions().get(schema.get("$ref").asString().substring("#/definitions/".length()));
        }
        return schema;
    }

    private static JsonNode randomValue(Random random) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (random.nextInt(7)) {
            case 0 -> nodes.stringNode("x" + random.nextInt(100));
            case 1 -> nodes.numberNode(random.nextInt());
            case 2 -> nodes.numberNode(random.nextDouble());
            case 3 -> nodes.booleanNode(random.nextBoolean());
            case 4 -> nodes.nullNode();
            case 5 -> nodes.arrayNode().add(random.nextInt(10));
            default -> nodes.objectNode().put("k" + random.nextInt(10), "v");
        };
    }
}
