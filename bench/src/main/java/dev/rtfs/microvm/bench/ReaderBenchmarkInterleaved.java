package dev.rtfs.microvm.bench;

import dev.rtfs.microvm.rtfslang.RtfsReader;
import java.util.Arrays;
import us.bpsm.edn.parser.Parser;
import us.bpsm.edn.parser.Parsers;

/**
 * Companion to the JMH {@link ReaderBenchmark} for a shared, loaded machine: JMH measures the two readers one
 * after the other, so a load change between them skews the ratio. Here every round reads the corpus once with
 * each reader, alternating which goes first, and the ratio is taken from the per-reader minimum and median.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar dev.rtfs.microvm.bench.ReaderBenchmarkInterleaved [seconds]}
 */
public final class ReaderBenchmarkInterleaved {

    private ReaderBenchmarkInterleaved() { }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        String corpus = ReaderBenchmarkCorpus.generate(ReaderBenchmark.CORPUS_CHARS, ReaderBenchmark.SEED);
        Parser.Config edn = Parsers.defaultConfiguration();
        long warmupEnd = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            RtfsReader.readAll("bench.rtfs", corpus);
            ReaderBenchmark.readAllEdn(corpus, edn);
        }
        long[] rtfs = new long[100_000];
        long[] ednTimes = new long[100_000];
        int rounds = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long sink = 0;
        while (System.nanoTime() < end && rounds < rtfs.length) {
            boolean rtfsFirst = (rounds & 1) == 0;
            for (int k = 0; k < 2; k++) {
                long t0 = System.nanoTime();
                if (rtfsFirst == (k == 0)) {
                    sink += RtfsReader.readAll("bench.rtfs", corpus).size();
                    rtfs[rounds] = System.nanoTime() - t0;
                } else {
                    sink += ReaderBenchmark.readAllEdn(corpus, edn).size();
                    ednTimes[rounds] = System.nanoTime() - t0;
                }
            }
            rounds++;
        }
        long[] r = Arrays.copyOf(rtfs, rounds);
        long[] e = Arrays.copyOf(ednTimes, rounds);
        Arrays.sort(r);
        Arrays.sort(e);
        System.out.printf("corpus %d chars, %d interleaved rounds (checksum %d)%n", corpus.length(), rounds, sink);
        System.out.printf("rtfs     min %.2f ms  median %.2f ms%n", r[0] / 1e6, r[rounds / 2] / 1e6);
        System.out.printf("edn-java min %.2f ms  median %.2f ms%n", e[0] / 1e6, e[rounds / 2] / 1e6);
        System.out.printf("throughput ratio rtfs/edn-java: %.2fx (min)  %.2fx (median)%n",
                (double) e[0] / r[0], (double) e[rounds / 2] / r[rounds / 2]);
    }
}
