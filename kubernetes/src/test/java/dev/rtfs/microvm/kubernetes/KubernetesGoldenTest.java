package dev.rtfs.microvm.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The manifests of the docs example, byte for byte. Regenerate with {@code -Dgolden.update=true} and review the
 * diff: every change here is a change of what clusters are given.
 */
class KubernetesGoldenTest {

    static final Path GOLDEN = K8sFixtures.ROOT.resolve("kubernetes/src/test/resources/golden");

    @Test
    void theDocsExampleAgentMatchesItsGoldenManifests() throws IOException {
        KubernetesOptions options = KubernetesOptions.defaults(K8sFixtures.DIGEST_IMAGE)
                .withNamespace("agents").withRuntime(KataRuntime.KATA_FC, true);
        var result = (KubernetesResult.Synthesized) KubernetesSynthesizer.agent(K8sFixtures.valid(K8sFixtures.EXAMPLE), options);
        matches("agent.config.microvm.kubernetes.yaml", result.yaml());
    }

    @Test
    void theDocsExampleWithItsPlanIsAJobMatchingItsGolden() throws IOException {
        KubernetesOptions options = KubernetesOptions.defaults(K8sFixtures.DIGEST_IMAGE)
                .withPlan(K8sFixtures.source(K8sFixtures.PLAN));
        var result = (KubernetesResult.Synthesized) KubernetesSynthesizer.agent(K8sFixtures.valid(K8sFixtures.EXAMPLE), options);
        matches("agent.config.microvm.kubernetes-job.yaml", result.yaml());
    }

    @Test
    void theProxyForTheExampleAndTheAirgappedAgentMatchesItsGolden() throws IOException {
        var result = (KubernetesResult.Synthesized) KubernetesSynthesizer.proxy(List.of(
                K8sFixtures.valid(K8sFixtures.EXAMPLE), K8sFixtures.valid(K8sFixtures.AIRGAPPED)),
                KubernetesOptions.DEFAULT_PROXY_NAMESPACE, K8sFixtures.DIGEST_IMAGE);
        matches("kubernetes-proxy.yaml", result.yaml());
    }

    static void matches(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("golden (run with -Dgolden.update=true to create)").exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }
}
