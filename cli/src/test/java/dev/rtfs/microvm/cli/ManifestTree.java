package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Emitted Kubernetes manifests read back as plain YAML trees (not the synthesizer's own fabric8 types, so that the
 * reading is independent of the writing), and the look-ups a test of them needs; each failed look-up is an assertion
 * failure naming what was missing.
 */
final class ManifestTree {

    /** Strict on duplicate keys as the API server is; a trailing token is the stream's next document. */
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private ManifestTree() {}

    /** The objects of a multi-document YAML stream, in order. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(yaml)) {
            while (parser.nextToken() != null) {
                JsonNode doc = YAML.readTree(parser);
                if (doc != null && doc.isObject()) docs.add(doc);
            }
        }
        return docs;
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(n -> n.path("kind").asString().equals(kind)).toList();
    }

    static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = ofKind(docs, kind);
        assertThat(found).as("objects of kind " + kind).hasSize(1);
        return found.getFirst();
    }

    static JsonNode named(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (n.path("name").asString().equals(name)) return n;
        }
        return fail("no element named " + name + " in " + array);
    }

    /** A label selector that is not empty and selects objects with {@code labels}. */
    static void selects(Map<String, String> selector, Map<String, String> labels) {
        assertThat(selector).as("a selector").isNotEmpty();
        assertThat(labels).as("labels selected by " + selector).containsAllEntriesOf(selector);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    static Map<String, String> map(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.forEachEntry((k, v) -> out.put(k, v.asString()));
        return out;
    }

    /** The value after {@code name}, which occurs exactly once. */
    static String option(List<String> args, String name) {
        assertThat(args).as("args " + args).containsOnlyOnce(name);
        int i = args.indexOf(name);
        assertThat(i + 1).as(name + " has a value").isLessThan(args.size());
        return args.get(i + 1);
    }

    static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    static JsonNode onlyContainer(JsonNode pod) {
        JsonNode containers = pod.path("spec").path("containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    static String env(JsonNode container, String name) {
        return named(container.path("env"), name).path("value").asString("");
    }

    /** A container port given by number or by name. */
    static int containerPort(JsonNode container, JsonNode port) {
        return port.isNumber() ? port.asInt() : named(container.path("ports"), port.asString()).path("containerPort").asInt();
    }

    /** The mountPath of the container's mount that holds {@code path}. */
    static String mountPathOf(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            String at = m.path("mountPath").asString();
            if (path.equals(at) || path.startsWith(at + "/")) return at;
        }
        return fail(path + " is in none of the container's mounts");
    }

    /** The volume mounted where {@code path} lies. */
    static JsonNode volumeAt(JsonNode podSpec, JsonNode container, String path) {
        String at = mountPathOf(container, path);
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asString().equals(at)) return named(podSpec.path("volumes"), m.path("name").asString());
        }
        return fail("unreachable");
    }
}
