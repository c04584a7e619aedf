package dev.rtfs.microvm.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What must hold for every emitted object, read back from the YAML a cluster is given, over several configs, both
 * runtimes, Pod and Job: Kata runtime, requests = limits, only allowed Kata annotations (numbers as decimal strings),
 * a NetworkPolicy allowing exactly DNS and the proxy, nothing privileged or on the host, the token volume, and an ACL
 * ConfigMap that parses back to the ACL the orchestrator derives.
 */
class ManifestInvariantsTest {

    static Stream<Arguments> manifests() {
        List<Arguments> out = new ArrayList<>();
        List<ValidatedConfig> configs = List.of(K8sFixtures.valid(K8sFixtures.EXAMPLE), K8sFixtures.valid(K8sFixtures.AIRGAPPED),
                K8sFixtures.validText(K8sFixtures.networked("fetcher", 4, 2048, "\"api.example.com\" \"*.cdn.example.com\"")),
                K8sFixtures.validText(K8sFixtures.networked("agent_with.dots-and_underscores", 1, 64, "\"example.org\"")));
        for (ValidatedConfig c : configs) {
            for (KataRuntime r : KataRuntime.values()) {
                KubernetesOptions o = KubernetesOptions.defaults(K8sFixtures.DIGEST_IMAGE).withNamespace("team-a")
                        .withRuntime(r, true);
                out.add(Arguments.of(c, o));
            }
        }
        out.add(Arguments.of(configs.getFirst(), KubernetesOptions.defaults("agent:latest")
                .withPlan(K8sFixtures.source(K8sFixtures.PLAN))));
        return out.stream();
    }

    static List<JsonNode> objects(ValidatedConfig c, KubernetesOptions o) {
        var result = KubernetesSynthesizer.agent(c, o);
        assertThat(result).as(result.diagnostics().toString()).isInstanceOf(KubernetesResult.Synthesized.class);
        return KubernetesYaml.mapper().readValues(KubernetesYaml.mapper().createParser(
                ((KubernetesResult.Synthesized) result).yaml()), JsonNode.class).readAll().stream()
                .filter(n -> !n.isNull() && !n.isMissingNode()).toList();
    }

    static JsonNode podSpec(List<JsonNode> objects) {
        for (JsonNode o : objects) {
            if (o.path("kind").asString().equals("Pod")) return o.path("spec");
            if (o.path("kind").asString().equals("Job")) return o.at("/spec/template/spec");
        }
        throw new AssertionError("no Pod or Job");
    }

    static JsonNode podMetadata(List<JsonNode> objects) {
        for (JsonNode o : objects) {
            if (o.path("kind").asString().equals("Pod")) return o.path("metadata");
            if (o.path("kind").asString().equals("Job")) return o.at("/spec/template/metadata");
        }
        throw new AssertionError("no Pod or Job");
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void theAgentRunsInItsKataRuntimeWithRequestsEqualToLimits(ValidatedConfig c, KubernetesOptions o) {
        JsonNode spec = podSpec(objects(c, o));
        assertThat(spec.path("runtimeClassName").asString()).isEqualTo(o.runtime().handler());
        assertThat(spec.path("automountServiceAccountToken").isBoolean()).isTrue();
        assertThat(spec.path("automountServiceAccountToken").asBoolean()).isFalse();
        for (JsonNode container : spec.path("containers")) {
            JsonNode res = container.path("resources");
            assertThat(res.path("limits").isEmpty()).isFalse();
            assertThat(res.path("requests")).isEqualTo(res.path("limits"));
            res.path("limits").forEach(q -> assertThat(q.isString()).as("quantity %s as a string", q).isTrue());
        }
        KataSizing s = KataSizing.of(c.config().vcpus().orElseThrow(), c.config().memMb().orElseThrow());
        assertThat(s.vmVcpus()).isGreaterThanOrEqualTo(c.config().vcpus().orElseThrow());
        assertThat(s.vmMemoryMb()).isGreaterThanOrEqualTo(c.config().memMb().orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void kataAnnotationsAreOnlyFromTheAllowedListWithNumbersAsDecimalStrings(ValidatedConfig c, KubernetesOptions o) {
        List<JsonNode> objects = objects(c, o);
        for (JsonNode obj : objects) {
            if (obj.path("kind").asString().equals("Pod")) continue; // its annotations are checked below
            obj.path("metadata").path("annotations").properties().forEach(e -> assertThat(e.getKey()).doesNotStartWith("io.katacontainers"));
        }
        podMetadata(objects).path("annotations").properties().forEach(e -> {
            assertThat(KataAnnotations.ALLOWED).contains(e.getKey());
            assertThat(e.getValue().isString()).as(e.getKey()).isTrue();
            if (KataAnnotations.NUMERIC.contains(e.getKey())) assertThat(e.getValue().asString()).matches("[1-9][0-9]*");
        });
        assertThat(podMetadata(objects).path("annotations").has(KataAnnotations.PREFIX + "default_memory")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void theNetworkPolicySelectsTheAgentAndAllowsExactlyDnsAndTheProxy(ValidatedConfig c, KubernetesOptions o) {
        List<JsonNode> objects = objects(c, o);
        List<JsonNode> policies = objects.stream().filter(n -> n.path("kind").asString().equals("NetworkPolicy")).toList();
        assertThat(policies).hasSize(1);
        JsonNode spec = policies.getFirst().path("spec");
        assertThat(spec.at("/podSelector/matchLabels")).isEqualTo(podMetadata(objects).path("labels"));
        assertThat(spec.path("policyTypes").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(spec.path("ingress").isMissingNode() || spec.path("ingress").isEmpty()).isTrue();
        JsonNode egress = spec.path("egress");
        assertThat(egress.size()).isEqualTo(2);
        JsonMapper json = JsonMapper.shared();
        assertThat(egress.get(0)).isEqualTo(json.readTree("""
                {"ports":[{"port":53,"protocol":"UDP"},{"port":53,"protocol":"TCP"}],
                 "to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},
                        "podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}]}"""));
        assertThat(egress.get(1)).isEqualTo(json.readTree("""
                {"ports":[{"port":3128,"protocol":"TCP"}],
                 "to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"%s"}},
                        "podSelector":{"matchLabels":{"app.kubernetes.io/name":"rtfs-egress-proxy"}}}]}"""
                .formatted(o.proxyNamespace())));
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void nothingIsPrivilegedOrReachesTheHost(ValidatedConfig c, KubernetesOptions o) {
        String text = objects(c, o).toString();
        assertThat(text).doesNotContain("hostPath", "hostNetwork", "hostPID", "hostIPC", "hostPort", "\"privileged\":true",
                "\"allowPrivilegeEscalation\":true", "\"readOnlyRootFilesystem\":false");
        JsonNode spec = podSpec(objects(c, o));
        assertThat(spec.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(spec.at("/securityContext/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");
        for (JsonNode container : spec.path("containers")) {
            JsonNode sc = container.path("securityContext");
            assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean()).isTrue();
            assertThat(sc.at("/capabilities/drop").valueStream().map(JsonNode::asString)).containsExactly("ALL");
            for (JsonNode m : container.path("volumeMounts")) {
                if (!m.path("mountPath").asString().equals("/tmp")) assertThat(m.path("readOnly").asBoolean()).as(m.toString()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void theProxyTokenIsAProjectedVolumeForTheProxysAudience(ValidatedConfig c, KubernetesOptions o) {
        JsonNode spec = podSpec(objects(c, o));
        JsonNode token = spec.path("volumes").valueStream().filter(v -> v.path("name").asString().equals("rtfs-egress-token"))
                .findFirst().orElseThrow();
        assertThat(token.at("/projected/sources/0/serviceAccountToken/audience").asString()).isEqualTo("rtfs-egress-proxy");
        assertThat(token.at("/projected/sources/0/serviceAccountToken/expirationSeconds").asLong()).isEqualTo(3600);
        assertThat(token.at("/projected/sources/0/serviceAccountToken/path").asString()).isEqualTo("token");
        JsonNode env = spec.at("/containers/0/env");
        assertThat(env.valueStream().filter(e -> e.path("name").asString().equals("RTFS_EGRESS_TOKEN_FILE"))
                .map(e -> e.path("value").asString())).containsExactly("/var/run/secrets/rtfs-egress/token");
        assertThat(env.valueStream().filter(e -> e.path("name").asString().endsWith("_PROXY"))
                .map(e -> e.path("value").asString())).contains(o.proxyUrl());
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void theAclConfigMapParsesBackToTheAclTheOrchestratorDerives(ValidatedConfig c, KubernetesOptions o) {
        AgentName name = AgentName.of(c.config().agentIdValue().orElseThrow());
        JsonNode cm = objects(c, o).stream().filter(n -> n.path("kind").asString().equals("ConfigMap")
                && n.at("/metadata/name").asString().equals(name.aclConfigMap())).findFirst().orElseThrow();
        assertThat(cm.at("/metadata/namespace").asString()).isEqualTo(o.proxyNamespace());
        assertThat(cm.path("data").propertyNames()).containsExactly(name.aclKey());
        ObjectNode doc = (ObjectNode) JsonMapper.shared().readTree(cm.path("data").path(name.aclKey()).asString());
        ObjectNode agent = (ObjectNode) doc.path("agents").path(c.config().agentIdValue().orElseThrow());
        assertThat(agent.path("service_account").asString()).isEqualTo(o.namespace() + "/" + name.value());
        assertThat(agent.has("listen")).isFalse();
        AclFile parsed = AclCodec.parseFile(doc.toString());
        assertThat(parsed.agents()).isEqualTo(Map.of(c.config().agentIdValue().orElseThrow(),
                AclConfigMap.acl(c.config()).toBuilder().serviceAccount(o.namespace() + "/" + name.value()).build()));
        assertThat(name.value()).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    }
}
