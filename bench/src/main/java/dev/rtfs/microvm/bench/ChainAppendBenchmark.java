package dev.rtfs.microvm.bench;

import dev.rtfs.microvm.controlplane.chain.ChainEntry;
import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.Origin;
import dev.rtfs.microvm.controlplane.chain.RecordFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Durable causal-chain appends per second (every op is one event that is fsynced before it counts).
 *
 * <ul>
 *   <li>{@code groupCommit} — the real store, hashing on, 16 appender threads with 64 events in flight each;
 *   <li>{@code groupCommitNoHash} — the same store without hashing (hashing overhead = 1 - hashed/unhashed);
 *   <li>{@code rawWriteForceBatched} — baseline: one thread writes the same record bytes with
 *       {@code FileChannel.write} and one {@code force} per 64 records (the I/O ceiling of that batch size);
 *   <li>{@code rawWriteForcePerRecord} — baseline: {@code write} + {@code force} per record (durable without
 *       group commit);
 *   <li>{@code encodeHashed} / {@code encodeNoHash} — the CPU work per record without any I/O (appender-side
 *       encoding plus the writer's assembly, with and without sha256): the hashing overhead free of fsync noise.
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar ChainAppend -f 1 -wi 2 -i 3}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ChainAppendBenchmark {
    static final int IN_FLIGHT = 64;

    static ChainEntry event(long n, Origin origin) {
        return new ChainEntry("tool.call", "agent.bench", "plan-1", "fetch",
                JsonNodeFactory.instance.objectNode().put("capability", "http.get")
                        .put("url", "https://api.example.com/v1/items?page=" + n).put("status", 200).put("bytes", 1234),
                origin);
    }

    static Path tempDir() throws IOException {
        return Files.createTempDirectory("chain-bench");
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @State(Scope.Benchmark)
    public static class Stores {
        Path hashedDir;
        Path plainDir;
        ChainStore hashed;
        ChainStore plain;
        final AtomicLong counter = new AtomicLong();

        @Setup(Level.Trial)
        public void open() throws IOException {
            hashedDir = tempDir();
            plainDir = tempDir();
            hashed = ChainStore.open(hashedDir, ChainOptions.defaults());
            plain = ChainStore.open(plainDir, ChainOptions.defaults().withoutHashing());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            hashed.close();
            plain.close();
            delete(hashedDir);
            delete(plainDir);
        }
    }

    /** Pre-encoded record lines (the exact bytes the store writes) for the raw baselines. */
    @State(Scope.Thread)
    public static class RawFile {
        Path dir;
        FileChannel channel;
        ByteBuffer batch;
        ByteBuffer[] records;
        int next;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = tempDir();
            channel = FileChannel.open(dir.resolve("raw.seg"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            RecordFormat.Writer writer = new RecordFormat.Writer(true);
            records = new ByteBuffer[IN_FLIGHT];
            String prev = RecordFormat.GENESIS;
            int total = 0;
            for (int i = 0; i < IN_FLIGHT; i++) {
                prev = writer.encode(RecordFormat.prepare(event(i, null)), i + 1, prev, System.currentTimeMillis());
                records[i] = ByteBuffer.allocateDirect(writer.length()).put(writer.buffer(), 0, writer.length()).flip();
                total += writer.length();
            }
            batch = ByteBuffer.allocateDirect(total);
            for (ByteBuffer r : records) batch.put(r.duplicate());
            batch.flip();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
            delete(dir);
        }
    }

    /** Per-thread encoders for the CPU-only pair. */
    @State(Scope.Thread)
    public static class Encoders {
        final RecordFormat.Writer hashed = new RecordFormat.Writer(true);
        final RecordFormat.Writer plain = new RecordFormat.Writer(false);
        String prev = RecordFormat.GENESIS;
        long n;
    }

    @Benchmark
    @Threads(1)
    public int encodeHashed(Encoders e) {
        RecordFormat.Prepared p = RecordFormat.prepare(event(e.n, null), true);
        e.prev = e.hashed.encode(p, ++e.n, e.prev, 1_700_000_000_000L);
        return e.hashed.length();
    }

    @Benchmark
    @Threads(1)
    public int encodeNoHash(Encoders e) {
        RecordFormat.Prepared p = RecordFormat.prepare(event(e.n, null), false);
        e.prev = e.plain.encode(p, ++e.n, e.prev, 1_700_000_000_000L);
        return e.plain.length();
    }

    private static void appendInFlight(ChainStore store, AtomicLong counter) {
        @SuppressWarnings("unchecked")
        CompletableFuture<?>[] futures = new CompletableFuture[IN_FLIGHT];
        long base = counter.getAndAdd(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) futures[i] = store.append(event(base + i, null));
        for (CompletableFuture<?> f : futures) f.join();
    }

    @Benchmark
    @Threads(16)
    @OperationsPerInvocation(IN_FLIGHT)
    public void groupCommit(Stores s) {
        appendInFlight(s.hashed, s.counter);
    }

    @Benchmark
    @Threads(16)
    @OperationsPerInvocation(IN_FLIGHT)
    public void groupCommitNoHash(Stores s) {
        appendInFlight(s.plain, s.counter);
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(IN_FLIGHT)
    public void rawWriteForceBatched(RawFile f) throws IOException {
        ByteBuffer b = f.batch.duplicate();
        while (b.hasRemaining()) f.channel.write(b);
        f.channel.force(false);
    }

    @Benchmark
    @Threads(1)
    public void rawWriteForcePerRecord(RawFile f) throws IOException {
        ByteBuffer b = f.records[f.next].duplicate();
        f.next = (f.next + 1) % IN_FLIGHT;
        while (b.hasRemaining()) f.channel.write(b);
        f.channel.force(false);
    }
}
