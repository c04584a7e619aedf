package dev.rtfs.microvm.kubernetes.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The hand-written manifests under test resource {@code schema-fixtures/}. */
final class SchemaFixtures {

    /** Every file of {@code schema-fixtures/valid/}: each must validate against v1.27.0 strict. */
    static final List<String> VALID = List.of(
            "pod.yaml", "job.yaml", "networkpolicy.yaml", "configmap.yaml", "serviceaccount.yaml",
            "runtimeclass.yaml", "daemonset.yaml", "service.yaml");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private SchemaFixtures() {}

    static String valid(String name) {
        return read("valid/" + name);
    }

    static String invalid(String name) {
        return read("invalid/" + name);
    }

    static JsonNode validTree(String name) {
        return YAML.readTree(valid(name));
    }

    private static String read(String path) {
        String resource = "/schema-fixtures/" + path;
        try (InputStream in = SchemaFixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no test resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
