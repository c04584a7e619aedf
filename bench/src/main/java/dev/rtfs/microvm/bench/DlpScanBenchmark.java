package dev.rtfs.microvm.bench;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.egresspolicy.dlp.DlpLimits;
import dev.rtfs.microvm.egresspolicy.dlp.DlpScanner;
import dev.rtfs.microvm.egresspolicy.dlp.DlpVerdict;
import dev.rtfs.microvm.egresspolicy.dlp.RequestInspector;
import dev.rtfs.microvm.egresspolicy.dlp.RequestParts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DLP cost per MiB of clean request body, one thread (so ops/s = MiB/s per core):
 *
 * <ul>
 *   <li>{@code plainScan} — baseline, the scan path before decoding layers: {@link DlpScanner#scan} of the body
 *       and {@link DlpScanner#encodedKinds} of its redaction (one percent-decoded view);
 *   <li>{@code decodingScan} — {@link RequestInspector#inspect} in strict mode (sniff, then every plausible
 *       layer: percent, base64 at four alignments, hex, JSON escapes, quoted-printable, invisible characters,
 *       embedded gzip/zlib), over the same body with two ordinary headers.
 * </ul>
 * The plain path as it was before the decoding scan (HEAD's {@code DlpScanner}) is measured by putting its
 * compiled class ahead of this jar: {@code java -cp old-classes:bench/target/benchmarks.jar org.openjdk.jmh.Main
 * DlpScanBenchmark.plainScan} (its card rule flags the json corpus, which setUp refuses).
 * Bodies (1 MiB, seeded): {@code text} (prose), {@code json} (records with ids, uuids, numbers and a few
 * {@code \\u} escapes), {@code base64} (JSON carrying large base64 blobs of random bytes). The ratio
 * decodingScan/plainScan per body is the price of the decoding.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar DlpScanBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DlpScanBenchmark {

    static final int BODY_BYTES = 1 << 20;
    static final long SEED = 20261206L;
    static final String[] WORDS = {"the", "agent", "fetched", "a", "page", "with", "results", "for", "weather",
        "in", "Berlin", "which", "is", "mild", "today", "and", "tomorrow", "summary", "of", "items", "value",
        "analysis", "report", "2026", "42", "ok."};

    @Param({"text", "json", "base64"})
    public String body;

    byte[] bytes;
    String latin1;
    RequestParts parts;
    DlpLimits limits;

    @Setup(Level.Trial)
    public void setUp() {
        bytes = corpus(body, new SplittableRandom(SEED));
        latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        parts = new RequestParts("api.example.com", "/v1/items?page=2",
                List.of(Map.entry("Content-Type", "application/json"), Map.entry("Accept", "*/*")), bytes);
        limits = DlpLimits.forBodyCap(4L * BODY_BYTES);
        if (!(RequestInspector.inspect(parts, DlpMode.STRICT, limits) instanceof DlpVerdict.Clean)
                || !DlpScanner.scan(latin1).clean()) {
            throw new IllegalStateException("the " + body + " corpus must be clean: a benchmark of refusals says nothing");
        }
    }

    static byte[] corpus(String kind, SplittableRandom r) {
        StringBuilder b = new StringBuilder(BODY_BYTES + 4096);
        switch (kind) {
            case "text" -> {
                while (b.length() < BODY_BYTES) {
                    b.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(12) == 0 ? "\n" : " ");
                }
            }
            case "json" -> {
                b.append('[');
                for (int i = 0; b.length() < BODY_BYTES; i++) {
                    b.append("{\"id\":").append(i).append(",\"uuid\":\"").append(new UUID(r.nextLong(), r.nextLong()))
                            .append("\",\"name\":\"").append(WORDS[r.nextInt(WORDS.length)]).append(" caf\\u00e9\",")
                            .append("\"score\":").append(r.nextInt(1000)).append('.').append(r.nextInt(100))
                            .append(",\"tags\":[\"").append(WORDS[r.nextInt(WORDS.length)]).append("\",\"")
                            .append(WORDS[r.nextInt(WORDS.length)]).append("\"]},\n");
                }
                b.append("{}]");
            }
            case "base64" -> {
                b.append("{\"files\":[");
                while (b.length() < BODY_BYTES) {
                    byte[] blob = new byte[r.nextInt(4096, 65536)];
                    r.nextBytes(blob);
                    b.append("{\"name\":\"f").append(r.nextInt(1000)).append(".bin\",\"data\":\"")
                            .append(Base64.getEncoder().encodeToString(blob)).append("\"},");
                }
                b.append("{}]}");
            }
            default -> throw new IllegalArgumentException(kind);
        }
        b.setLength(BODY_BYTES);
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Benchmark
    public Set<String> plainScan() {
        DlpScanner.Result r = DlpScanner.scan(latin1);
        Set<String> encoded = DlpScanner.encodedKinds(r.redacted());
        return encoded.isEmpty() ? r.kinds() : encoded;
    }

    @Benchmark
    public DlpVerdict decodingScan() {
        return RequestInspector.inspect(parts, DlpMode.STRICT, limits);
    }
}
