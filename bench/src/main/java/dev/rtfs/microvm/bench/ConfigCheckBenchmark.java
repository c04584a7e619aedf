package dev.rtfs.microvm.bench;

import dev.rtfs.microvm.agentconfig.AgentConfigValidator;
import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.ValidationResult;
import dev.rtfs.microvm.rtfslang.Rtfs;
import dev.rtfs.microvm.rtfslang.RtfsReader;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Value;
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
 * In-process validation throughput of docs/examples/agent.config.microvm.rtfs on one thread:
 * {@code check} = read + evaluate + validate (what {@code rtfs-microvm check} does per file), against the
 * baseline {@code readForms} = only reading the file's forms, and {@code validateOnly} = the validator on the
 * already evaluated value, all in the same run. Target: check >= 20,000 configs/s.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar ConfigCheckBenchmark -f 1 -wi 3 -i 5}
 * (run from the repo root, or pass {@code -jvmArgs -Drtfs.example=PATH}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ConfigCheckBenchmark {

    SourceFile example;
    Value evaluated;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path path = Path.of(System.getProperty("rtfs.example", "docs/examples/agent.config.microvm.rtfs"));
        example = new SourceFile(path.toString(), Files.readString(path));
        evaluated = Rtfs.evaluate(List.of(), example);
        // Measure the real thing: the example must check clean (its two placeholder warnings only).
        ConfigCheckResult r = ConfigLoader.load(List.of(), example);
        if (!r.valid() || r.diagnostics().size() != 2) throw new IllegalStateException("unexpected: " + r.diagnostics());
    }

    @Benchmark
    public ConfigCheckResult check() {
        return ConfigLoader.load(List.of(), example);
    }

    @Benchmark
    public ValidationResult validateOnly() {
        return AgentConfigValidator.validate(evaluated);
    }

    @Benchmark
    public List<Value> readForms() {
        return RtfsReader.readAll(example);
    }
}
