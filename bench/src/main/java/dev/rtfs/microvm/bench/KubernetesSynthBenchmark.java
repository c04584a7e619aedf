package dev.rtfs.microvm.bench;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.kubernetes.KataRuntime;
import dev.rtfs.microvm.kubernetes.KubernetesOptions;
import dev.rtfs.microvm.kubernetes.KubernetesResult;
import dev.rtfs.microvm.kubernetes.KubernetesSynthesizer;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kubernetes synthesis of docs/examples/agent.config.microvm.rtfs on one thread: {@code agentYaml} = the agent's
 * objects with the RuntimeClass and drop-in, written as YAML (what {@code synth --target kubernetes} does after
 * validation), {@code proxyYaml} = the proxy's. The YAML's size is printed once at setup. No target beyond "instant".
 *
 * <p>{@code java -jar bench/target/benchmarks.jar KubernetesSynthBenchmark -f 1 -wi 3 -i 5} (from the repo root, or
 * pass {@code -jvmArgs -Drtfs.example=PATH}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class KubernetesSynthBenchmark {

    ValidatedConfig config;
    KubernetesOptions options;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path path = Path.of(System.getProperty("rtfs.example", "docs/examples/agent.config.microvm.rtfs"));
        ConfigCheckResult r = ConfigLoader.load(List.of(), new SourceFile(path.toString(), Files.readString(path)));
        config = r.validated().orElseThrow(() -> new IllegalStateException("unexpected: " + r.diagnostics()));
        options = KubernetesOptions.defaults("registry.example/agent@sha256:" + "0".repeat(64))
                .withRuntime(KataRuntime.KATA_FC, true);
        System.err.println("agent YAML: " + agentYaml().length() + " chars, proxy YAML: " + proxyYaml().length() + " chars");
    }

    @Benchmark
    public String agentYaml() {
        return ((KubernetesResult.Synthesized) KubernetesSynthesizer.agent(config, options)).yaml();
    }

    @Benchmark
    public String proxyYaml() {
        return ((KubernetesResult.Synthesized) KubernetesSynthesizer.proxy(List.of(config), "rtfs-egress",
                "registry.example/rtfs-microvm@sha256:" + "0".repeat(64))).yaml();
    }
}
