package dev.rtfs.microvm.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Synthesis never throws: seeded mutations of the docs example (numbers, booleans, keywords, strings, dropped
 * forms) that still validate are synthesized or refused with diagnostics, every time. The seed is printed.
 */
class SynthesisFuzzTest {

    private static final List<String> SWAPS = List.of(":vcpus 1", ":vcpus 32", ":mem_mb 256", ":mem_mb 65", ":mem_mb 4096",
            ":ephemeral true", ":ephemeral false", ":tls :intercept", ":tls :tunnel", ":enabled true", ":enabled false",
            "\"console=none\"", "\"root=/dev/vda console=ttyS0  quiet \"", "\"\"", "\"agent.microvm.example\"",
            "\"x\"", "\"" + "z".repeat(63) + "\"", ":policy :strict", ":policy :lenient");

    @Test
    void synthesisOfMutatedConfigsNeverThrows() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("SynthesisFuzzTest seed: " + seed);
        Random random = new Random(seed);
        String base = K8sFixtures.source(K8sFixtures.EXAMPLE).text();
        int synthesized = 0;
        for (int i = 0; i < 300; i++) {
            String text = base;
            for (int m = 0; m < 1 + random.nextInt(4); m++) {
                String from = SWAPS.get(random.nextInt(SWAPS.size()));
                String to = SWAPS.get(random.nextInt(SWAPS.size()));
                text = text.replace(from, to);
            }
            ConfigCheckResult checked = K8sFixtures.check("fuzz-" + i + ".rtfs", text);
            if (checked.validated().isEmpty()) continue;
            var config = checked.validated().get();
            KataRuntime runtime = KataRuntime.values()[random.nextInt(2)];
            KubernetesOptions options = KubernetesOptions.defaults(random.nextBoolean() ? "a:b" : K8sFixtures.DIGEST_IMAGE)
                    .withRuntime(runtime, random.nextBoolean());
            String seedNote = "seed " + seed + " case " + i;
            assertThatCode(() -> {
                KubernetesResult r = KubernetesSynthesizer.agent(config, options);
                if (r instanceof KubernetesResult.Synthesized s) assertThat(s.yaml()).startsWith("---\n");
                KubernetesSynthesizer.proxy(List.of(config), "rtfs-egress", "p:1");
            }).as(seedNote).doesNotThrowAnyException();
            synthesized++;
        }
        assertThat(synthesized).as("valid mutants (seed %d)", seed).isGreaterThan(20);
    }
}
