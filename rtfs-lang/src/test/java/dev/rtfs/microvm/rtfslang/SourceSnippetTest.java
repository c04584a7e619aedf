package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SourceSnippetTest {

    private static final SourceFile FILE = new SourceFile("cfg.rtfs", "(agent.config\n  :vcpus 0\n\t:x 1)\n");

    @Test
    void rendersArrowSourceLineAndCaretUnderTheSpan() {
        Span span = new Span("cfg.rtfs", 16, 2, 3, 22); // :vcpus
        assertThat(SourceSnippet.render(FILE, span, "must be at least 1")).isEqualTo("""
                 --> cfg.rtfs:2:3
                  |
                2 |   :vcpus 0
                  |   ^^^^^^ must be at least 1
                """);
    }

    @Test
    void tabsAreExpandedAndTheCaretFollows() {
        Span span = new Span("cfg.rtfs", 25, 3, 2, 27); // :x after a tab
        assertThat(SourceSnippet.render(FILE, span, null)).isEqualTo("""
                 --> cfg.rtfs:3:2
                  |
                3 |     :x 1)
                  |     ^^
                """);
    }

    @Test
    void gutterWidensWithTheLineNumber() {
        SourceFile f = new SourceFile("f", "\n".repeat(11) + "bad");
        String out = SourceSnippet.render(f, new Span("f", 11, 12, 1, 14), "here");
        assertThat(out).isEqualTo("  --> f:12:1\n   |\n12 | bad\n   | ^^^ here\n");
    }

    @Test
    void columnPastTheEndPutsTheCaretAfterTheLine() {
        SourceFile f = new SourceFile("f", "(a b");
        assertThat(SourceSnippet.render(f, new Span("f", 4, 1, 5, 4), "unclosed"))
                .isEqualTo(" --> f:1:5\n  |\n1 | (a b\n  |     ^ unclosed\n");
        assertThat(SourceSnippet.render(f, new Span("f", 4, 1, 99, 4), ""))
                .endsWith("1 | (a b\n  |     ^\n");
    }

    @Test
    void multiByteCharactersCountAsOneColumn() {
        SourceFile f = new SourceFile("f", "\"héllo 🙂\" :k");
        // :k is at code point column 11 (the emoji is two UTF-16 chars, one column)
        String out = SourceSnippet.render(f, new Span("f", 11, 1, 11, 13), null);
        assertThat(out).endsWith("1 | \"héllo 🙂\" :k\n  |            ^^\n");
    }

    @Test
    void multiLineSpansGetOneCaret() {
        Span whole = new Span("cfg.rtfs", 0, 1, 1, FILE.text().length() - 1);
        assertThat(SourceSnippet.render(FILE, whole, "x")).endsWith("1 | (agent.config\n  | ^^^^^^^^^^^^^ x\n");
    }

    @Test
    void otherSourceOrUnknownSpanRendersOnlyWhatIsKnown() {
        assertThat(SourceSnippet.render(null, new Span("other.rtfs", 0, 4, 2, 1), "x")).isEqualTo(" --> other.rtfs:4:2\n");
        assertThat(SourceSnippet.render(FILE, new Span("other.rtfs", 0, 4, 2, 1), "x")).isEqualTo(" --> other.rtfs:4:2\n");
        assertThat(SourceSnippet.render(FILE, Span.NONE, "x")).isEmpty();
    }

    @Test
    void controlCharactersAndLongLinesStayReadable() {
        SourceFile ctl = new SourceFile("f", "a\u0007b");
        assertThat(SourceSnippet.render(ctl, new Span("f", 2, 1, 3, 3), null)).contains("1 | a\\u0007b\n  |        ^\n");
        SourceFile longLine = new SourceFile("f", "x".repeat(1000) + " :bad " + "y".repeat(1000));
        String out = SourceSnippet.render(longLine, new Span("f", 1001, 1, 1002, 1005), "here");
        String[] lines = out.split("\n");
        assertThat(lines[2]).startsWith("1 | ...").endsWith("...").hasSizeLessThan(200);
        int caret = lines[3].indexOf('^');
        assertThat(lines[2].substring(caret, caret + 4)).isEqualTo(":bad");
    }

    /**
     * "Trojan Source": a bidi override in a comment or string would reorder the shown line so that it reads unlike
     * the code. Bidi controls, C1 controls and other format characters are shown as escapes, and the caret and its
     * underline follow the escaped text, still under the character the span starts at.
     */
    @Test
    void bidiAndC1CharactersAreShownEscapedWithTheCaretUnderTheEscapedForm() {
        String line = "{:s \"a\u202eb\u2066\" ;; c\u0085\u200f\u061c\n :vcpus 0}";
        SourceFile f = new SourceFile("f.rtfs", line);
        int at = line.indexOf(":vcpus");
        String out = SourceSnippet.render(f, new Span("f.rtfs", at, 2, 2, at + 6), null);
        assertThat(out).isEqualTo("""
                 --> f.rtfs:2:2
                  |
                2 |  :vcpus 0}
                  |  ^^^^^^
                """);
        int bad = line.indexOf(';');
        String escaped = SourceSnippet.render(f, new Span("f.rtfs", bad - 3, 1, bad - 2, bad + 1), null);
        String[] lines = escaped.split("\n");
        assertThat(lines[2]).isEqualTo("1 | {:s \"a\\u202eb\\u2066\" ;; c\\u0085\\u200f\\u061c");
        assertThat(escaped).doesNotContain("\u202e", "\u2066", "\u0085", "\u200f", "\u061c");
        int caret = lines[3].indexOf('^');
        // the span covers the escaped U+2066, the closing quote, a space and the ';'
        assertThat(lines[2].substring(caret)).startsWith("\\u2066\" ;");
        assertThat(lines[3].substring(caret)).isEqualTo("^".repeat(6 + 3));
    }

    /**
     * The excerpt read around the offset equals the one cut from the whole line, for every position of random
     * text with tabs, CR, CRLF, control and multi-byte characters, and lines shorter and longer than the window.
     */
    @Test
    void excerptNearTheOffsetEqualsTheWholeLineExcerpt() {
        long seed = Long.getLong("rtfs.fuzz.seed", System.nanoTime());
        SplittableRandom r = new SplittableRandom(seed);
        String[] pieces = {"a", "b", " ", "\t", "\n", "\r\n", "\r", "\u00e9", "\ud83d\ude42", "\u0007", "x".repeat(120)};
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(1, 40);
            for (int i = 0; i < n; i++) sb.append(pieces[r.nextInt(pieces.length)]);
            SourceFile f = new SourceFile("f", sb.toString());
            String text = f.text();
            int line = 1;
            int column = 1;
            for (int off = 0; off <= text.length(); ) {
                Span span = new Span("f", off, line, column, Math.min(text.length(), off + r.nextInt(1, 400)));
                SourceSnippet.Excerpt near = SourceSnippet.excerptNearOffset(text, span);
                SourceSnippet.Excerpt whole = SourceSnippet.excerptOfLine(f, span);
                if (near != null) {
                    assertThat(near.cps()).as("seed %d (-Drtfs.fuzz.seed=%d) at %s", seed, seed, span).isEqualTo(whole.cps());
                    assertThat(near.caret()).as("seed %d at %s", seed, span).isEqualTo(whole.caret());
                    assertThat(near.cutBefore()).as("seed %d at %s", seed, span).isEqualTo(whole.cutBefore());
                    assertThat(near.cutAfter()).as("seed %d at %s", seed, span).isEqualTo(whole.cutAfter());
                }
                if (off == text.length()) break;
                int cp = text.codePointAt(off);
                off += Character.charCount(cp);
                if (cp == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
        }
    }

    /** Many diagnostics on one huge line (a generated config) must not re-read the line for each one. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void manySnippetsOnAHugeLineStayCheap() {
        String text = ":k ".repeat(1_000_000);
        SourceFile f = new SourceFile("big", text);
        for (int i = 0; i < 20_000; i++) {
            int off = (int) ((long) i * 149 % 1_000_000) * 3;
            String out = SourceSnippet.render(f, new Span("big", off, 1, off + 1, off + 2), null);
            assertThat(out).contains("^^");
        }
    }

    @Test
    void notesFoldRepeatsAndSummarizeALongStack() {
        Span f = new Span("a.rtfs", 0, 1, 12, 1);
        Span top = new Span("a.rtfs", 0, 2, 1, 1);
        java.util.List<Span> recursion = new java.util.ArrayList<>(java.util.Collections.nCopies(510, f));
        recursion.add(top);
        assertThat(SourceSnippet.notes(recursion, "  = ", "via"))
                .isEqualTo("  = note: via a.rtfs:1:12 (510 times)\n  = note: via a.rtfs:2:1\n");
        java.util.List<Span> deep = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) deep.add(new Span("b", 0, i, 1, 1));
        String out = SourceSnippet.notes(deep, "= ", "called from");
        assertThat(out.lines()).hasSize(12).startsWith("= note: called from b:1:1").endsWith("= note: ... 9 more");
        assertThat(SourceSnippet.notes(deep.subList(0, 12), "", "via").lines()).hasSize(12).last().isEqualTo("note: via b:12:1");
        assertThat(SourceSnippet.notes(java.util.List.of(), "", "via")).isEmpty();
    }
}
