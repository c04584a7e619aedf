package dev.rtfs.microvm.kubernetes.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Objects validated against the strict Kubernetes v1.27.0 schemas: what passes, what fails and where. */
class KubernetesSchemasTest {

    private static final KubernetesSchemas K8S = KubernetesSchemas.v1_27();

    static java.util.List<String> validFixtures() {
        return SchemaFixtures.VALID;
    }

    @ParameterizedTest
    @MethodSource("validFixtures")
    void everyValidFixtureHasNoProblems(String fixture) {
        assertThat(K8S.validateYaml(SchemaFixtures.valid(fixture))).as(fixture).isEmpty();
    }

    @Test
    void allValidFixturesAsOneStreamWithAnEmptyDocumentHaveNoProblems() {
        String stream = SchemaFixtures.VALID.stream().map(SchemaFixtures::valid).collect(Collectors.joining("\n---\n"));
        assertThat(K8S.validateYaml("---\n" + stream + "\n---\n")).isEmpty();
    }

    @Test
    void anUnknownSpecFieldIsReportedAtItsOwnPath() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("pod-unknown-spec-field.yaml")))
                .containsExactly("Pod/unknown-field $.spec.foo: unknown field, not in io.k8s.api.core.v1.PodSpec");
    }

    @Test
    void aMisspeltNestedFieldIsReportedAtItsOwnPath() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("pod-misspelt-security-context.yaml")))
                .containsExactly("Pod/misspelt $.spec.containers[0].securityContext.readOnlyRootFS: "
                        + "unknown field, not in io.k8s.api.core.v1.SecurityContext");
    }

    @Test
    void aQuotedNumberIsNotAnInteger() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("deployment-replicas-as-string.yaml")))
                .containsExactly("Deployment/string-replicas $.spec.replicas: string found, integer expected");
    }

    @Test
    void aQuotedBooleanIsNotABoolean() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("pod-automount-as-string.yaml")))
                .containsExactly("Pod/string-boolean $.spec.automountServiceAccountToken: string found, boolean expected");
    }

    @Test
    void aPodSpecWithoutContainersIsMissingARequiredField() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("pod-without-containers.yaml")))
                .containsExactly("Pod/no-containers $.spec.containers: required field missing, in io.k8s.api.core.v1.PodSpec");
    }

    @Test
    void aContainerWithoutANameIsMissingARequiredField() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("pod-container-without-name.yaml")))
                .containsExactly("Pod/nameless-container $.spec.containers[0].name: required field missing, in io.k8s.api.core.v1.Container");
    }

    @Test
    void aKindUnderTheWrongApiVersionHasNoSchema() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("networkpolicy-in-core-v1.yaml")))
                .containsExactly("NetworkPolicy/wrong-group $: no Kubernetes v1.27.0 schema for apiVersion v1, kind NetworkPolicy");
    }

    @Test
    void anUnknownKindHasNoSchema() {
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("unknown-kind.yaml")))
                .containsExactly("MicroVm/not-a-kind $: no Kubernetes v1.27.0 schema for apiVersion v1, kind MicroVm");
    }

    @Test
    void podLevelResourcesFromKubernetes132AreAnUnknownField() {
        assertThat(K8S.definitions().at("/io.k8s.api.core.v1.PodSpec/properties").has("resources"))
                .as("the vendored v1.27.0 PodSpec has no resources field").isFalse();
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("pod-resources-from-1.32.yaml")))
                .containsExactly("Pod/pod-level-resources $.spec.resources: unknown field, not in io.k8s.api.core.v1.PodSpec");
    }

    @Test
    void appArmorProfileFromKubernetes130IsAnUnknownField() {
        assertThat(K8S.definitions().at("/io.k8s.api.core.v1.SecurityContext/properties").has("appArmorProfile"))
                .as("the vendored v1.27.0 SecurityContext has no appArmorProfile field").isFalse();
        assertThat(K8S.validateYaml(SchemaFixtures.invalid("pod-apparmor-profile-from-1.30.yaml")))
                .containsExactly("Pod/apparmor-field $.spec.containers[0].securityContext.appArmorProfile: "
                        + "unknown field, not in io.k8s.api.core.v1.SecurityContext");
    }

    @Test
    void aQuantityMayBeANumberOrAStringButNotABoolean() {
        JsonNode pod = SchemaFixtures.validTree("pod.yaml");
        ObjectNode limits = (ObjectNode) pod.at("/spec/containers/0/resources/limits");
        limits.put("cpu", 0.5);
        limits.put("memory", 268435456);
        assertThat(K8S.validate(pod)).isEmpty();
        limits.put("memory", true);
        assertThat(K8S.validate(pod)).containsExactly("Pod/agent-summarizer $.spec.containers[0].resources.limits.memory: "
                + "must be a number or a string (Quantity), found boolean");
    }

    @Test
    void anIntOrStringMayBeAnIntegerOrAStringButNotAFraction() {
        JsonNode policy = SchemaFixtures.validTree("networkpolicy.yaml");
        assertThat(policy.at("/spec/egress/0/ports/0/port").isInt()).isTrue();
        assertThat(policy.at("/spec/egress/1/ports/0/port").isString()).isTrue();
        assertThat(K8S.validate(policy)).isEmpty();
        ((ObjectNode) policy.at("/spec/egress/0/ports/0")).put("port", 53.5);
        assertThat(K8S.validate(policy)).containsExactly("NetworkPolicy/agent-summarizer-egress $.spec.egress[0].ports[0].port: "
                + "must be an integer or a string (IntOrString), found number");
    }

    @Test
    void theDaemonSetProbesUseANamedAndANumberedPort() {
        JsonNode proxy = SchemaFixtures.validTree("daemonset.yaml");
        JsonNode container = proxy.at("/spec/template/spec/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/port").asString()).isEqualTo("metrics");
        assertThat(container.at("/livenessProbe/httpGet/port").asInt()).isEqualTo(9090);
        assertThat(K8S.validate(proxy)).isEmpty();
    }

    @Test
    void aNestedObjectWithAnotherKindsApiVersionIsRejected() {
        // A definition with a group-version-kind pins apiVersion and kind wherever it is referenced (PodList items).
        assertThat(K8S.validateYaml("""
                apiVersion: v1
                kind: PodList
                metadata: {}
                items:
                  - apiVersion: apps/v1
                    kind: Pod
                    metadata: {name: x}
                    spec: {containers: [{name: a}]}
                """)).singleElement().asString().startsWith("PodList/(no name) $.items[0].apiVersion: ");
    }

    @Test
    void aNullWhereTheSchemaGivesATypeIsAProblem() {
        // Stricter than the API server (which drops nulls): an emitter should leave the field out instead.
        ObjectNode service = (ObjectNode) SchemaFixtures.validTree("service.yaml");
        ((ObjectNode) service.get("spec")).putNull("internalTrafficPolicy");
        assertThat(K8S.validate(service)).containsExactly("Service/egress-proxy $.spec.internalTrafficPolicy: null found, string expected");
    }

    @Test
    void anEnumValueOutsideTheSwaggersListIsAProblem() {
        ObjectNode pod = (ObjectNode) SchemaFixtures.validTree("pod.yaml");
        ((ObjectNode) pod.at("/spec/securityContext/seccompProfile")).put("type", "runtimeDefault");
        assertThat(K8S.validate(pod)).singleElement().asString()
                .startsWith("Pod/agent-summarizer $.spec.securityContext.seccompProfile.type: ").contains("RuntimeDefault");
    }

    @Test
    void emptyDocumentsAreIgnoredAndANonMappingDocumentIsAProblem() {
        assertThat(K8S.validateYaml("")).isEmpty();
        assertThat(K8S.validateYaml("---\n---\n# only a comment\n")).isEmpty();
        assertThat(K8S.validateYaml("---\n- a\n- b\n---\n---\njust text\n"))
                .containsExactly("document 1: a Kubernetes object must be a mapping, not a sequence",
                        "document 3: a Kubernetes object must be a mapping, not a string");
    }

    @Test
    void anObjectWithoutApiVersionOrKindIsAProblem() {
        assertThat(K8S.validateYaml("metadata: {name: x}\n"))
                .containsExactly("(no kind)/x $: apiVersion and kind are required strings");
        assertThat(K8S.validateYaml("apiVersion: 1\nkind: Pod\n"))
                .containsExactly("Pod/(no name) $: apiVersion and kind are required strings");
    }

    @Test
    void brokenYamlIsOnePositionedProblemNotAnException() {
        assertThat(K8S.validateYaml("apiVersion: v1\nkind: [Pod\n"))
                .singleElement().asString().startsWith("YAML line ").contains("not valid YAML").doesNotContain("\n");
    }

    @Test
    void aDuplicateKeyIsAProblemNotASilentOverride() {
        assertThat(K8S.validateYaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\ndata: {c: d}\n"))
                .singleElement().asString().startsWith("YAML line ").contains("Duplicate").contains("data");
    }

    @Test
    void manyProblemsInOneObjectAreCappedWithACount() {
        ObjectNode pod = (ObjectNode) SchemaFixtures.validTree("pod.yaml");
        ObjectNode spec = (ObjectNode) pod.get("spec");
        for (int i = 0; i < 80; i++) spec.put("unknown" + i, i);
        assertThat(K8S.validate(pod)).hasSize(KubernetesSchemas.MAX_PROBLEMS_PER_OBJECT + 1)
                .last().asString().isEqualTo("Pod/agent-summarizer $: 30 more problems not shown");
    }
}
