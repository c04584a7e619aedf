package dev.rtfs.microvm.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.kubernetes.schema.KubernetesSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object {@code synth --target kubernetes} and {@code --target kubernetes-proxy} emit validates against the
 * strict Kubernetes v1.27.0 schemas (vendored OpenAPI; unknown fields rejected): each config and runtime of the
 * invariants, the plan's Job, the proxy for all of them, and the golden files users see in the docs.
 */
class ManifestSchemaValidityTest {

    private static final KubernetesSchemas SCHEMAS = KubernetesSchemas.v1_27();

    static Stream<Arguments> manifests() {
        return ManifestInvariantsTest.manifests();
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void everyAgentObjectIsValidUnderTheStrictKubernetesSchemas(ValidatedConfig c, KubernetesOptions o) {
        KubernetesResult r = KubernetesSynthesizer.agent(c, o);
        assertThat(r).isInstanceOf(KubernetesResult.Synthesized.class);
        String yaml = ((KubernetesResult.Synthesized) r).yaml();
        assertThat(yaml).contains("kind: NetworkPolicy");
        assertThat(SCHEMAS.validateYaml(yaml)).isEmpty();
    }

    @Test
    void theProxyObjectsAreValidUnderTheStrictKubernetesSchemas() {
        List<ValidatedConfig> all = ManifestInvariantsTest.manifests().map(a -> (ValidatedConfig) a.get()[0])
                .distinct().toList();
        KubernetesResult r = KubernetesSynthesizer.proxy(all, "rtfs-egress", K8sFixtures.DIGEST_IMAGE);
        assertThat(r).isInstanceOf(KubernetesResult.Synthesized.class);
        String yaml = ((KubernetesResult.Synthesized) r).yaml();
        assertThat(yaml).contains("kind: DaemonSet");
        assertThat(SCHEMAS.validateYaml(yaml)).isEmpty();
    }

    @Test
    void theGoldenFilesAreValidUnderTheStrictKubernetesSchemas() throws IOException {
        try (Stream<Path> files = Files.list(K8sFixtures.ROOT.resolve("kubernetes/src/test/resources/golden"))) {
            List<Path> golden = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertThat(golden).hasSizeGreaterThanOrEqualTo(3);
            for (Path p : golden) {
                assertThat(SCHEMAS.validateYaml(Files.readString(p))).as(p.toString()).isEmpty();
            }
        }
    }

    @Test
    void aPlantedUnknownFieldInAnEmittedPodIsCaught() {
        ValidatedConfig c = K8sFixtures.valid(K8sFixtures.EXAMPLE);
        String yaml = ((KubernetesResult.Synthesized) KubernetesSynthesizer.agent(c,
                KubernetesOptions.defaults(K8sFixtures.DIGEST_IMAGE))).yaml();
        String planted = yaml.replaceFirst("(?m)^  runtimeClassName: ", "  runtimeClass: ");
        assertThat(planted).isNotEqualTo(yaml);
        assertThat(SCHEMAS.validateYaml(planted)).anyMatch(p -> p.contains("runtimeClass"));
    }
}
