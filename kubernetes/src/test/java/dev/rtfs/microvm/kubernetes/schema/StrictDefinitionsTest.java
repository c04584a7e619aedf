package dev.rtfs.microvm.kubernetes.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The swagger-to-strict-JSON-Schema conversion, on the vendored v1.27.0 document and on small hand-made ones. */
class StrictDefinitionsTest {

    private static final KubernetesSchemas K8S = KubernetesSchemas.v1_27();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyDefinitionWithPropertiesAndNoMapTypeIsClosed() {
        List<String> open = new ArrayList<>();
        int closed = 0;
        for (Map.Entry<String, JsonNode> e : K8S.definitions().properties()) {
            JsonNode definition = e.getValue();
            if (!definition.has("properties")) continue;
            if (definition.path("additionalProperties").isBoolean() && !definition.path("additionalProperties").asBoolean()) closed++;
            else open.add(e.getKey());
        }
        // v1.27.0 has 492 definitions; 480 have properties and none of those is a map or preserves unknown fields.
        assertThat(open).isEmpty();
        assertThat(closed).isEqualTo(480);
        assertThat(K8S.definitions().size()).isEqualTo(492);
    }

    @Test
    void aPodSpecRejectsAnUnknownKeyWhileItsMapsStayOpen() {
        JsonNode podSpec = K8S.definitions().get("io.k8s.api.core.v1.PodSpec");
        assertThat(podSpec.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(podSpec.at("/properties/nodeSelector/additionalProperties/type").asString()).isEqualTo("string");
        JsonNode pod = SchemaFixtures.validTree("pod.yaml");
        ((ObjectNode) pod.get("spec")).putObject("nodeSelector").put("any.key/at-all", "fine");
        ((ObjectNode) pod.at("/metadata/labels")).put("another.free/key", "fine");
        assertThat(K8S.validate(pod)).isEmpty();
        ((ObjectNode) pod.get("spec")).put("nodeSelectr", "typo");
        assertThat(K8S.validate(pod)).singleElement().asString().contains("$.spec.nodeSelectr: unknown field");
    }

    @Test
    void intOrStringAndQuantityBecomeEitherOfTwoTypes() {
        assertThat(K8S.definitions().get(StrictDefinitions.INT_OR_STRING).toString())
                .isEqualTo("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}");
        assertThat(K8S.definitions().get(StrictDefinitions.QUANTITY).toString())
                .isEqualTo("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"number\"}]}");
    }

    @Test
    void apiVersionAndKindAreEnumsOfTheDefinitionsGroupVersionKinds() {
        assertThat(K8S.definitions().at("/io.k8s.api.core.v1.Pod/properties/apiVersion/enum").toString()).isEqualTo("[\"v1\"]");
        assertThat(K8S.definitions().at("/io.k8s.api.core.v1.Pod/properties/kind/enum").toString()).isEqualTo("[\"Pod\"]");
        assertThat(K8S.definitions().at("/io.k8s.api.apps.v1.DaemonSet/properties/apiVersion/enum").toString()).isEqualTo("[\"apps/v1\"]");
        // DeleteOptions is one definition for the 57 group-versions that accept it.
        assertThat(K8S.definitions().at("/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions/properties/apiVersion/enum"))
                .hasSize(57);
    }

    @Test
    void groupVersionKindsIndexTheirDefinitionsWithTheCoreGroupEmpty() {
        assertThat(K8S.groupVersionKinds()).hasSize(235);
        assertThat(K8S.definitionOf(GroupVersionKind.of("v1", "Pod"))).hasValue("io.k8s.api.core.v1.Pod");
        assertThat(K8S.definitionOf(new GroupVersionKind("", "v1", "Service"))).hasValue("io.k8s.api.core.v1.Service");
        assertThat(K8S.definitionOf(GroupVersionKind.of("batch/v1", "Job"))).hasValue("io.k8s.api.batch.v1.Job");
        assertThat(K8S.definitionOf(GroupVersionKind.of("node.k8s.io/v1", "RuntimeClass"))).hasValue("io.k8s.api.node.v1.RuntimeClass");
        assertThat(K8S.definitionOf(GroupVersionKind.of("networking.k8s.io/v1", "NetworkPolicy")))
                .hasValue("io.k8s.api.networking.v1.NetworkPolicy");
        assertThat(K8S.definitionOf(GroupVersionKind.of("v1", "NetworkPolicy"))).isEmpty();
        assertThat(GroupVersionKind.of("apps/v1", "DaemonSet").group()).isEqualTo("apps");
        assertThat(GroupVersionKind.of("v1", "Pod").apiVersion()).isEqualTo("v1");
    }

    @Test
    void mapsAndPreservedObjectsStayOpenAndOnlySchemaPositionsAreRewritten() {
        ObjectNode converted = StrictDefinitions.convert(JSON.readTree("""
                {
                  "t.Closed": {"type": "object", "description": "d", "properties": {"a": {"type": "string"},
                               "inner": {"type": "object", "properties": {"b": {"type": "integer"}}},
                               "list": {"type": "array", "items": {"type": "object", "properties": {"c": {"type": "string"}}}}}},
                  "t.Map": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}},
                  "t.Preserved": {"type": "object", "properties": {"a": {"type": "string"}}, "x-kubernetes-preserve-unknown-fields": true},
                  "t.FieldNamedLikeAnExtension": {"type": "object", "properties": {
                               "x-kubernetes-preserve-unknown-fields": {"type": "boolean"},
                               "description": {"type": "string"}}},
                  "t.Ref": {"properties": {"r": {"$ref": "#/definitions/t.Closed", "description": "kept out"}}},
                  "t.InlineIntOrString": {"type": "object", "properties": {"p": {"x-kubernetes-int-or-string": true}}}
                }
                """));
        assertThat(converted.at("/t.Closed/additionalProperties").asBoolean(true)).isFalse();
        assertThat(converted.at("/t.Closed/properties/inner/additionalProperties").asBoolean(true)).isFalse();
        assertThat(converted.at("/t.Closed/properties/list/items/additionalProperties").asBoolean(true)).isFalse();
        assertThat(converted.at("/t.Closed").has("description")).isFalse();
        assertThat(converted.at("/t.Map/additionalProperties/type").asString()).isEqualTo("string");
        assertThat(converted.at("/t.Preserved").has("additionalProperties")).isFalse();
        assertThat(converted.at("/t.FieldNamedLikeAnExtension/properties").propertyNames())
                .containsExactlyInAnyOrder("x-kubernetes-preserve-unknown-fields", "description");
        assertThat(converted.at("/t.FieldNamedLikeAnExtension/additionalProperties").asBoolean(true)).isFalse();
        assertThat(converted.at("/t.Ref/properties/r").toString()).isEqualTo("{\"$ref\":\"#/definitions/t.Closed\"}");
        assertThat(converted.at("/t.InlineIntOrString/properties/p/oneOf")).hasSize(2);
    }
}
