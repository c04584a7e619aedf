package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * User- or guest-written text shown in a log line or on a terminal: controls, C1, bidi and other format characters,
 * line separators and lone surrogates are escaped; everything else is shown as written.
 */
class PrintableTextTest {

    /** Input, then what is shown. */
    static final List<String[]> CORPUS = List.of(
            new String[] {"plain text: é 漢 😀 \u00a0", "plain text: é 漢 😀 \u00a0"},
            new String[] {"\u001b[2J\u001b]0;title\u0007", "\\u001b[2J\\u001b]0;title\\u0007"},
            new String[] {"line\nforged\r\tx\u0000\u007f", "line\\u000aforged\\u000d\\u0009x\\u0000\\u007f"},
            new String[] {"C1 \u0080\u0085\u009b31m\u009f", "C1 \\u0080\\u0085\\u009b31m\\u009f"},
            new String[] {"\u202a\u202b\u202c\u202d\u202e", "\\u202a\\u202b\\u202c\\u202d\\u202e"},
            new String[] {"\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"},
            new String[] {"marks \u200e\u200f\u061c", "marks \\u200e\\u200f\\u061c"},
            new String[] {"separators \u2028\u2029", "separators \\u2028\\u2029"},
            new String[] {"a\u2028forged\u2029b", "a\\u2028forged\\u2029b"},
            new String[] {"invisible \ufeff\u200b\u00ad", "invisible \\ufeff\\u200b\\u00ad"},
            new String[] {"lone \ud800 \udc00", "lone \\ud800 \\udc00"},
            new String[] {"tag \udb40\udc01", "tag \\udb40\\udc01"},
            new String[] {"\u009b31m\u202e\u2066\u200f\u061c", "\\u009b31m\\u202e\\u2066\\u200f\\u061c"},
            new String[] {"access = \"user\u202e \u2066// admin\u2069\u2066\"", "access = \"user\\u202e \\u2066// admin\\u2069\\u2066\""});

    @Test
    void terminalAttacksInTheCorpusAreEscapedAndPlainTextIsKept() {
        for (String[] c : CORPUS) {
            assertThat(PrintableText.of(c[0])).as(c[1]).isEqualTo(c[1]);
        }
    }

    @Test
    void abbreviationNeverCutsAnEscapeOrASurrogatePairInHalf() {
        assertThat(PrintableText.abbreviated("ab\u202ecd", 5)).isEqualTo("ab…");
        assertThat(PrintableText.abbreviated("ab\u202ecd", 8)).isEqualTo("ab\\u202e…");
        assertThat(PrintableText.abbreviated("ab\uD83D\uDE00c", 3)).isEqualTo("ab…");
    }

    @Test
    void randomTextShowsNoEscapedCodePointAndAbbreviatesWithinItsBound() {
        long seed = Long.getLong("rtfs.seed", System.nanoTime());
        System.out.println("PrintableTextTest seed " + seed + " (replay with -Drtfs.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x20, 0x7f);
                    case 1 -> random.nextInt(0, 0x300);
                    case 2 -> random.nextInt(0x2000, 0x2070);
                    default -> random.nextInt(0, 0x110000);
                };
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            String shown = PrintableText.of(s);
            assertThat(shown.codePoints().allMatch(cp -> !PrintableText.isEscaped(cp))).as("seed %d: %s", seed, shown).isTrue();
            int max = random.nextInt(1, 30);
            String cut = PrintableText.abbreviated(s, max);
            assertThat(cut.length()).as("seed %d", seed).isLessThanOrEqualTo(max + 1);
            assertThat(shown).as("seed %d", seed).startsWith(cut.endsWith("…") ? cut.substring(0, cut.length() - 1) : cut);
        }
    }
}
