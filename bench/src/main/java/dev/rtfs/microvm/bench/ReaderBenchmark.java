package dev.rtfs.microvm.bench;

import dev.rtfs.microvm.rtfslang.RtfsReader;
import dev.rtfs.microvm.rtfslang.Value;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;
import us.bpsm.edn.parser.Parseable;
import us.bpsm.edn.parser.Parser;
import us.bpsm.edn.parser.Parsers;

/**
 * Reader throughput on a ~1 MB corpus of the EDN-compatible subset: {@link RtfsReader} (building a span on
 * every node) against edn-java 0.7.1 (no positions) in the same run, both returning all forms of the file.
 * Target: rtfs >= 2x edn-java ops/s.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar ReaderBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReaderBenchmark {

    static final int CORPUS_CHARS = 1 << 20;
    static final long SEED = 20261126L;

    String corpus;
    Parser.Config ednConfig;

    @Setup(Level.Trial)
    public void setUp() {
        corpus = ReaderBenchmarkCorpus.generate(CORPUS_CHARS, SEED);
        ednConfig = Parsers.defaultConfiguration();
        // Both readers must see the same forms, or the comparison means nothing.
        int ours = RtfsReader.readAll("bench", corpus).size();
        int edn = readAllEdn(corpus, ednConfig).size();
        if (ours != edn) throw new IllegalStateException("form count differs: rtfs " + ours + ", edn-java " + edn);
    }

    @Benchmark
    public List<Value> rtfsReader() {
        return RtfsReader.readAll("bench.rtfs", corpus);
    }

    /** Like readAll, keeps every top-level form of the file (so both results stay live for the same time). */
    @Benchmark
    public List<Object> ednJava() {
        return readAllEdn(corpus, ednConfig);
    }

    static List<Object> readAllEdn(String text, Parser.Config config) {
        Parser parser = Parsers.newParser(config);
        Parseable in = Parsers.newParseable(text);
        ArrayList<Object> forms = new ArrayList<>();
        for (Object v = parser.nextValue(in); v != Parser.END_OF_INPUT; v = parser.nextValue(in)) forms.add(v);
        return forms;
    }
}
