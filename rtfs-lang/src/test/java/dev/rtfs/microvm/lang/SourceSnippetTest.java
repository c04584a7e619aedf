package dev.rtfs.microvm.lang;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
        assertThat(SourceSnippet.render(ctl, new Span("f", 2, 1, 3, 3), null)).contains("1 | a\uFFFDb\n  |   ^\n");
        SourceFile longLine = new SourceFile("f", "x".repeat(1000) + " :bad " + "y".repeat(1000));
        String out = SourceSnippet.render(longLine, new Span("f", 1001, 1, 1002, 1005), "here");
        String[] lines = out.split("\n");
        assertThat(lines[2]).startsWith("1 | ...").endsWith("...").hasSizeLessThan(200);
        int caret = lines[3].indexOf('^');
        assertThat(lines[2].substring(caret, caret + 4)).isEqualTo(":bad");
    }
}
