package dev.rtfs.microvm.kubernetes;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Kubernetes objects as one multi-document YAML stream ({@code ---} before each document), written by Jackson's
 * YAML mapper from fabric8's typed model: the model's property order, map keys sorted, nulls and empty values left
 * out, quantities and annotation values as strings. Same objects, same bytes.
 */
public final class KubernetesYaml {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            // "1" stays a string: Kubernetes wants annotation values and quantities as strings.
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_EMPTY)
                    .withContentInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private KubernetesYaml() {}

    public static String write(List<? extends HasMetadata> objects) {
        StringBuilder out = new StringBuilder();
        for (HasMetadata o : objects) {
            out.append("---\n").append(YAML.writeValueAsString(o));
        }
        return out.toString();
    }

    /** The mapper, for tests that read the stream back. */
    public static YAMLMapper mapper() {
        return YAML;
    }
}
