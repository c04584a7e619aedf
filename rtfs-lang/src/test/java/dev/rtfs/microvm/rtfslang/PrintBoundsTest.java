package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Printing is bounded in size and depth whatever the value: shared structure (small in memory, exponential when
 * printed) and deep data are refused with a positioned RTFS_OUTPUT_LIMIT error instead of gigabytes of output or a
 * StackOverflowError.
 */
class PrintBoundsTest {

    private static final Logger LOG = LoggerFactory.getLogger(PrintBoundsTest.class);

    /** {@code (let [a0 [1 2 3 4 5 6 7 8] a1 [a0 a0] … aN [aN-1 aN-1]] aN)}: 8 * 2^N numbers in the printed form. */
    static String sharedStructure(int levels) {
        StringBuilder sb = new StringBuilder("(let [a0 [1 2 3 4 5 6 7 8]\n");
        for (int i = 1; i <= levels; i++) sb.append("      a").append(i).append(" [a").append(i - 1).append(" a").append(i - 1).append("]\n");
        return sb.append("      ] a").append(levels).append(")\n").toString();
    }

    @Test
    void sharedStructureIsRefusedAtTheOutputBoundNamingTheExpression() {
        Value v = Rtfs.evaluate(new SourceFile("shared.rtfs", sharedStructure(22)));
        RtfsLimitException e = catchThrowableOfType(RtfsLimitException.class, () -> RtfsPrinter.pretty(v));
        assertThat(e.code()).isEqualTo("RTFS_OUTPUT_LIMIT");
        assertThat(e.getMessage()).contains("longer than " + RtfsPrinter.MAX_CHARS + " characters");
        // the vector literal that built the printed value: a22's [a21 a21] on line 23
        assertThat(e.span().location()).isEqualTo("shared.rtfs:23:11");
        assertThatThrownBy(() -> RtfsPrinter.print(v)).isInstanceOf(RtfsLimitException.class);
    }

    @Test
    void aSmallBoundStopsEarlyAndAValueUnderItPrintsWhole() {
        Value v = Rtfs.evaluate(new SourceFile("shared.rtfs", sharedStructure(6)));
        String whole = RtfsPrinter.pretty(v);
        assertThat(RtfsReader.readOne("back", whole)).isEqualTo(v);
        assertThat(RtfsPrinter.pretty(v, whole.length())).isEqualTo(whole);
        assertThatThrownBy(() -> RtfsPrinter.pretty(v, whole.length() - 1)).isInstanceOf(RtfsLimitException.class);
        String flat = RtfsPrinter.print(v);
        assertThat(RtfsPrinter.print(v, flat.length())).isEqualTo(flat);
        assertThatThrownBy(() -> RtfsPrinter.print(v, flat.length() - 1)).isInstanceOf(RtfsLimitException.class);
    }

    @Test
    void abbreviatedNeverThrowsAndStaysShort() {
        Value shared = Rtfs.evaluate(new SourceFile("shared.rtfs", sharedStructure(40)));
        assertThat(RtfsPrinter.abbreviated(shared, 80)).hasSize(81).startsWith("[[[[").endsWith("…");
        assertThat(RtfsPrinter.abbreviated(nested(5000), 80)).hasSizeLessThanOrEqualTo(81);
        assertThat(RtfsPrinter.abbreviated(IntValue.of(7), 80)).isEqualTo("7");
    }

    @Test
    void dataDeeperThanThePrinterBoundIsRefusedWithoutStackOverflow() {
        Value deep = nested(100_000);
        assertThatThrownBy(() -> RtfsPrinter.print(deep)).isInstanceOf(RtfsLimitException.class)
                .hasMessageContaining("nested deeper than " + RtfsPrinter.MAX_DEPTH);
        assertThatThrownBy(() -> RtfsPrinter.pretty(deep)).isInstanceOf(RtfsLimitException.class)
                .hasMessageContaining("nested deeper than " + RtfsPrinter.MAX_DEPTH);
    }

    @Test
    void strOfSharedStructureIsAnEvaluationErrorNotGigabytes() {
        SourceFile f = new SourceFile("str.rtfs", sharedStructure(22).replace("] a22)", "] (str a22))"));
        assertThatThrownBy(() -> Rtfs.evaluate(f)).isInstanceOf(RtfsEvalException.class)
                .hasMessageContaining("str: the result would be longer than");
    }

    @Test
    void bidiAndC1CharactersInStringsArePrintedEscapedAndReadBackEqual() {
        StringValue s = StringValue.of("a\u202eb\u2066c\u0085d\u009be\u200ff\u061cg\u2028h\uDB40\uDC01");
        String printed = RtfsPrinter.print(s);
        assertThat(printed).isEqualTo("\"a\\u202eb\\u2066c\\u0085d\\u009be\\u200ff\\u061cg\\u2028h\\udb40\\udc01\"");
        assertThat(RtfsReader.readOne("back", printed)).isEqualTo(s);
    }

    @Test
    void readerRefusesDeepNestingWithAPositionedErrorAndNoStackOverflow() {
        for (String open : List.of("[", "(", "{", "#{", "^:k ", "#_ ", "^{:a ")) {
            String text = open.repeat(100_000);
            RtfsSyntaxException e = catchThrowableOfType(RtfsSyntaxException.class, () -> RtfsReader.readAll("deep.rtfs", text));
            assertThat(e).as(open).isNotNull();
            assertThat(e.getMessage()).as(open).contains("nesting deeper than " + RtfsReader.MAX_DEPTH);
            assertThat(e.span().line()).isEqualTo(1);
            assertThat(e.span().column()).isGreaterThan(RtfsReader.MAX_DEPTH);
        }
    }

    /**
     * Random deep, wide and shared values print within the bound or are refused with RTFS_OUTPUT_LIMIT (never another
     * exception); what prints reads back equal. Random bracket soup reads or is one syntax error.
     */
    @Test
    void randomDeepWideAndSharedValuesPrintWithinTheBoundOrAreRefused() {
        long seed = Long.getLong("rtfs.seed", System.nanoTime());
        System.out.println("print bounds fuzz seed " + seed + " (replay with -Drtfs.seed=" + seed + ")");
        LOG.info("print bounds fuzz seed {}", seed);
        Random random = new Random(seed);
        long bound = 1 << 16;
        int refused = 0;
        for (int round = 0; round < 300; round++) {
            Value v = randomShape(random);
            try {
                String pretty = RtfsPrinter.pretty(v, bound);
                assertThat(pretty.length()).as("seed %d round %d", seed, round).isLessThanOrEqualTo((int) bound);
                assertThat(RtfsReader.readOne("back", pretty)).as("seed %d round %d", seed, round).isEqualTo(v);
            } catch (RtfsLimitException e) {
                refused++;
                assertThat(e.code()).isEqualTo("RTFS_OUTPUT_LIMIT");
            }
            try {
                assertThat(RtfsPrinter.print(v, bound).length()).isLessThanOrEqualTo((int) bound);
            } catch (RtfsLimitException e) {
                assertThat(e.code()).isEqualTo("RTFS_OUTPUT_LIMIT");
            }
            assertThat(RtfsPrinter.abbreviated(v, 100).length()).isLessThanOrEqualTo(101);

            StringBuilder soup = new StringBuilder();
            int n = random.nextInt(5000);
            for (int i = 0; i < n; i++) soup.append("[({#{ 1]})\"^:k #_;\n".charAt(random.nextInt(19)));
            try {
                RtfsReader.readAll("soup", soup.toString());
            } catch (RtfsSyntaxException expected) {
                assertThat(expected.span().isKnown()).isTrue();
            }
        }
        LOG.info("print bounds fuzz: {} of 300 values refused", refused);
    }

    private static Value randomShape(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> nested(random.nextInt(2 * RtfsPrinter.MAX_DEPTH)); // deep
            case 1 -> { // wide
                List<Value> items = new ArrayList<>();
                int n = random.nextInt(20_000);
                for (int i = 0; i < n; i++) items.add(IntValue.of(random.nextInt()));
                yield VectorValue.of(items);
            }
            default -> { // shared: each level holds the previous one several times
                Value v = StringValue.of("x\u202e".repeat(random.nextInt(1, 20)));
                int levels = random.nextInt(1, 40);
                for (int i = 0; i < levels; i++) {
                    List<Value> items = new ArrayList<>();
                    int width = random.nextInt(1, 4);
                    for (int k = 0; k < width; k++) items.add(v);
                    v = random.nextBoolean() ? VectorValue.of(items) : MapValue.of(java.util.Map.of(IntValue.of(i), VectorValue.of(items)));
                }
                yield v;
            }
        };
    }

    private static Value nested(int depth) {
        Value v = VectorValue.of(List.of());
        for (int i = 0; i < depth; i++) v = VectorValue.of(List.of(v));
        return v;
    }
}
