package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reader is total: random and mutated inputs give values or one RtfsSyntaxException with an in-range
 * span, and whatever reads also round-trips through the printer. The whole batch runs under one preemptive
 * deadline (a per-input bound without wall-clock flakiness); override the seed with -Drtfs.seed=N.
 */
class FuzzTest {

    private static final Logger LOG = LoggerFactory.getLogger(FuzzTest.class);
    private static final int MUTATED = 70_000;
    private static final int RANDOM = 30_000;
    /** Generous for ~100k inputs of at most a few KB each (about 1 ms per input on a loaded 2-core box). */
    private static final Duration BATCH_DEADLINE = Duration.ofSeconds(100);

    private static final String[] TOKENS = {
        "\uFEFF",
        "(", ")", "[", "]", "{", "}", "#{", "#_", "#|", "|#", "##", "##Inf", "##NaN", "^", "^:", "\"", "\\", "\\u",
        "\\q", ";", "\n", "\r\n", "\t", ",", " ", ":", "::", "-", "+", ".", "1", "0", "9223372036854775808", "1e",
        "1e999", "e", "E", "true", "nil", "true?", "a:", ":a", "'", "`", "~", "@", "é", "😀", "\uD800", "\uDC00", "\u0000", "#"
    };

    private int readOk;
    private int syntaxErrors;

    @Test void randomAndMutatedInputsGiveValuesOrOneSyntaxError() {
        long seed = Long.getLong("rtfs.seed", System.nanoTime());
        LOG.info("fuzz seed {} (replay with -Drtfs.seed={})", seed, seed);
        SplittableRandom random = new SplittableRandom(seed);
        RandomValues gen = new RandomValues(random.split());
        List<String> corpus = new ArrayList<>(FuzzCorpus.FILES);
        corpus.addAll(FuzzCorpus.repositoryExamples());
        for (int i = 0; i < 40; i++) corpus.add(gen.validSource(1 + random.nextInt(6)));
        for (String file : corpus) check(file, seed, "corpus"); // the corpus itself must read

        assertTimeoutPreemptively(BATCH_DEADLINE, () -> {
            for (int i = 0; i < MUTATED; i++) {
                String base = corpus.get(random.nextInt(corpus.size()));
                check(mutate(base, random, corpus), seed, "mutation #" + i);
            }
            for (int i = 0; i < RANDOM; i++) {
                check(randomInput(random), seed, "random #" + i);
            }
        }, () -> "fuzz batch exceeded " + BATCH_DEADLINE + " (seed " + seed + ")");
        LOG.info("fuzz: {} inputs read, {} syntax errors", readOk, syntaxErrors);
        assertThat(readOk).as("mutations should not all be broken").isGreaterThan(1_000);
        assertThat(syntaxErrors).as("mutations should find errors").isGreaterThan(10_000);
    }

    private void check(String input, long seed, String what) {
        List<Value> forms;
        try {
            forms = RtfsReader.readAll("fuzz", input);
        } catch (RtfsSyntaxException e) {
            syntaxErrors++;
            Span s = e.span();
            int[][] pos = positions(input);
            if (s.offset() < 0 || s.offset() > input.length() || s.endOffset() < s.offset() || s.endOffset() > input.length()
                    || s.line() != pos[0][s.offset()] || s.column() != pos[1][s.offset()]
                    || e.getMessage() == null || e.getMessage().isEmpty()) {
                throw new AssertionError("bad error span " + s + " (" + s.offset() + ".." + s.endOffset() + ") for "
                        + what + ", seed " + seed + ": " + e.getMessage() + "\ninput: " + escape(input));
            }
            return;
        } catch (Throwable t) {
            throw new AssertionError("reader threw " + t + " for " + what + ", seed " + seed + "\ninput: " + escape(input), t);
        }
        readOk++;
        for (Value v : forms) {
            checkSpans(v, input, positions(input), what, seed);
            String printed = RtfsPrinter.print(v);
            List<Value> back;
            try {
                back = RtfsReader.readAll("fuzz-print", printed);
            } catch (RtfsSyntaxException e) {
                throw new AssertionError("printed form does not read back (" + e.getMessage() + ") for " + what
                        + ", seed " + seed + "\ninput: " + escape(input) + "\nprinted: " + escape(printed), e);
            }
            assertThat(back).as("round trip of %s, seed %d, input %s", what, seed, escape(input)).containsExactly(v);
        }
    }

    /** Every node's line/column must match a naive recount from the start of the input. */
    private static void checkSpans(Value v, String input, int[][] pos, String what, long seed) {
        Span s = v.span();
        int[] expected = {pos[0][s.offset()], pos[1][s.offset()]};
        if (s.line() != expected[0] || s.column() != expected[1] || s.endOffset() <= s.offset() || s.endOffset() > input.length()) {
            throw new AssertionError("span " + s + " (" + s.offset() + ".." + s.endOffset() + ") of " + RtfsPrinter.print(v)
                    + " should be at " + expected[0] + ":" + expected[1] + " for " + what + ", seed " + seed
                    + "\ninput: " + escape(input));
        }
        switch (v) {
            case ListValue l -> l.items().forEach(x -> checkSpans(x, input, pos, what, seed));
            case VectorValue l -> l.items().forEach(x -> checkSpans(x, input, pos, what, seed));
            case SetValue l -> l.items().forEach(x -> checkSpans(x, input, pos, what, seed));
            case MapValue m -> m.entries().forEach((k, x) -> {
                checkSpans(k, input, pos, what, seed);
                checkSpans(x, input, pos, what, seed);
            });
            default -> { }
        }
    }

    /** Line and column of every offset (0..length), by the definition: LF breaks lines, columns count code points. */
    static int[][] positions(String text) {
        int n = text.length();
        int[] lines = new int[n + 1];
        int[] columns = new int[n + 1];
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i <= n; i++) {
            lines[i] = line;
            // = text.codePointCount(lineStart, i) + 1, incrementally: the low half of a pair adds no code point.
            boolean pairTail = i - 2 >= lineStart && Character.isLowSurrogate(text.charAt(i - 1))
                    && Character.isHighSurrogate(text.charAt(i - 2));
            boolean leadingBom = i == 1 && text.charAt(0) == '\uFEFF'; // skipped by the reader, not a column
            columns[i] = i == lineStart ? 1 : columns[i - 1] + (pairTail || leadingBom ? 0 : 1);
            if (i < n && text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[][] {lines, columns};
    }

    private static String mutate(String base, SplittableRandom r, List<String> corpus) {
        StringBuilder sb = new StringBuilder(base);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int n = sb.length();
            int at = n == 0 ? 0 : r.nextInt(n + 1);
            switch (r.nextInt(7)) {
                case 0 -> sb.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
                case 1 -> { if (n > 0) sb.delete(at, Math.min(n, at + 1 + r.nextInt(8))); }
                case 2 -> { if (n > 0) sb.setCharAt(Math.min(at, n - 1), (char) r.nextInt(0x20, 0x7f)); }
                case 3 -> sb.setLength(at); // truncate
                case 4 -> {
                    int from = n == 0 ? 0 : r.nextInt(n);
                    sb.insert(at, sb.substring(from, Math.min(n, from + r.nextInt(40))));
                }
                case 5 -> {
                    String other = corpus.get(r.nextInt(corpus.size()));
                    int from = r.nextInt(other.length());
                    sb.insert(at, other, from, Math.min(other.length(), from + r.nextInt(60)));
                }
                default -> sb.insert(at, (char) r.nextInt(0x10000));
            }
        }
        return sb.toString();
    }

    private static String randomInput(SplittableRandom r) {
        int n = r.nextInt(200);
        switch (r.nextInt(3)) {
            case 0 -> { // random bytes decoded as UTF-8
                byte[] bytes = new byte[n];
                r.nextBytes(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case 1 -> { // random chars, any UTF-16 unit
                StringBuilder sb = new StringBuilder(n);
                for (int i = 0; i < n; i++) sb.append((char) r.nextInt(0x10000));
                return sb.toString();
            }
            default -> { // token soup: far more likely to get deep into the grammar
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < n / 2; i++) {
                    sb.append(TOKENS[r.nextInt(TOKENS.length)]);
                    if (r.nextBoolean()) sb.append(' ');
                }
                return sb.toString();
            }
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        RtfsPrinter.writeString(sb, s.length() > 2000 ? s.substring(0, 2000) : s);
        return sb.toString();
    }
}
