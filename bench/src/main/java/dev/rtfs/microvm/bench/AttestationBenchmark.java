package dev.rtfs.microvm.bench;

import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What attesting a boot artifact costs: one streamed sha256 pass over a 64 MiB rootfs-sized file
 * ({@code measure64MiB}, the deploy's per-artifact cost) against the same 1 MiB reads without the digest
 * ({@code read64MiB}: the I/O floor from the page cache), in the same run.
 * Run: {@code java -jar bench/target/benchmarks.jar Attestation -f 1 -wi 2 -i 5}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AttestationBenchmark {

    private Path image;
    private final Sha256ImageMeasurer measurer = new Sha256ImageMeasurer();

    @Setup(Level.Trial)
    public void image() throws IOException {
        image = Files.createTempFile("rtfs-attest-bench-", ".img");
        byte[] block = new byte[1 << 20];
        new Random(42).nextBytes(block);
        for (int i = 0; i < 64; i++) {
            Files.write(image, block, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        Files.deleteIfExists(image);
    }

    @Benchmark
    public String measure64MiB() throws IOException {
        return measurer.measure(image);
    }

    @Benchmark
    public long read64MiB() throws IOException {
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        try (InputStream in = Files.newInputStream(image)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        }
        return total;
    }
}
