package dev.rtfs.microvm.rtfslang;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every node carries source, offset, 1-based line/column (code points, tab = 1 column, CRLF = 1 break) and end. */
class SpanTest {

    private static List<Value> read(String text) {
        return RtfsReader.readAll("cfg.rtfs", text);
    }

    private static List<Value> items(Value v) {
        return switch (v) {
            case ListValue l -> l.items();
            case VectorValue vec -> vec.items();
            default -> throw new AssertionError(v);
        };
    }

    private static void assertSpan(Value v, int offset, int line, int column, int end) {
        Span s = v.span();
        assertThat(List.of(s.offset(), s.line(), s.column(), s.endOffset()))
                .as("span of %s", RtfsPrinter.print(v)).containsExactly(offset, line, column, end);
        assertThat(s.source()).isEqualTo("cfg.rtfs");
    }

    @Test void multiLineWithTabs() {
        String text = "\t(a\n\t\t[b 12]\n  :k)";
        Value list = read(text).get(0);
        assertSpan(list, 1, 1, 2, text.length());
        assertSpan(items(list).get(0), 2, 1, 3, 3);
        Value vec = items(list).get(1);
        assertSpan(vec, 6, 2, 3, 12);
        assertSpan(items(vec).get(0), 7, 2, 4, 8);
        assertSpan(items(vec).get(1), 9, 2, 6, 11);
        assertSpan(items(list).get(2), 15, 3, 3, 17);
    }

    @Test void crlfIsOneLineBreak() {
        String text = "a\r\nb\r\n\r\n  c";
        List<Value> forms = read(text);
        assertSpan(forms.get(0), 0, 1, 1, 1);
        assertSpan(forms.get(1), 3, 2, 1, 4);
        assertSpan(forms.get(2), 10, 4, 3, 11);
    }

    @Test void columnsCountCodePointsNotUtf16Units() {
        // "é" is one char, "😀" two chars (a surrogate pair) but one code point and one column.
        String text = "\"é😀\" x\n\"😀\" \"\" ;😀\n  y";
        List<Value> forms = read(text);
        assertSpan(forms.get(0), 0, 1, 1, 5);
        assertSpan(forms.get(1), 6, 1, 6, 7);
        assertSpan(forms.get(2), 8, 2, 1, 12);
        assertSpan(forms.get(3), 13, 2, 5, 15);
        assertSpan(forms.get(4), 22, 3, 3, 23);
    }

    @Test void leadingByteOrderMarkIsSkippedAndNotAColumn() {
        List<Value> forms = read("\uFEFF:a\n :b");
        assertSpan(forms.get(0), 1, 1, 1, 3);
        assertSpan(forms.get(1), 5, 2, 2, 7);
        RtfsSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(RtfsSyntaxException.class, () -> read("\uFEFF)"));
        assertThat(e.span().location()).isEqualTo("cfg.rtfs:1:1");
        org.junit.jupiter.api.Assertions.assertThrows(RtfsSyntaxException.class, () -> read("a \uFEFF"));
    }

    @Test void supplementaryLettersInSymbols() {
        String text = "𝒳𝒳 b";
        List<Value> forms = read(text);
        assertSpan(forms.get(0), 0, 1, 1, 4);
        assertSpan(forms.get(1), 5, 1, 4, 6);
    }

    @Test void nodesAfterMultiLineStringsAndBlockComments() {
        String text = "\"l1\nl2\" #| c\nc |# k\n;x\n\t:z";
        List<Value> forms = read(text);
        assertSpan(forms.get(0), 0, 1, 1, 7);
        assertSpan(forms.get(1), 18, 3, 6, 19);
        assertSpan(forms.get(2), 24, 5, 2, 26);
    }

    @Test void mapKeysAndValuesKeepTheirSpans() {
        MapValue m = (MapValue) read("{:mode\n  :ro}").get(0);
        Value key = m.keyAsWritten(KeywordValue.of("mode"));
        assertSpan(key, 1, 1, 2, 6);
        assertSpan(m.get("mode"), 9, 2, 3, 12);
    }

    @Test void errorPositionsUseTheSameColumns() {
        RtfsSyntaxException e = org.junit.jupiter.api.Assertions.assertThrows(RtfsSyntaxException.class,
                () -> read("\"😀\"\r\n\t\"😀\\q\""));
        assertThat(List.of(e.span().line(), e.span().column(), e.span().offset())).containsExactly(2, 4, 10);
        assertThat(e.span().location()).isEqualTo("cfg.rtfs:2:4");
    }

    @Test void spansOfMetadataTargetsAreTheTargetsOwn() {
        Value v = read("^:private\n  foo").get(0);
        assertSpan(v, 12, 2, 3, 15);
    }

    @Test void sourceLineMatchesTheSpanLine() {
        String text = "a\r\n\tbb \"x\"";
        SourceFile file = new SourceFile("cfg.rtfs", text);
        Value s = RtfsReader.readAll(file).get(2);
        assertThat(file.line(s.span().line())).isEqualTo("\tbb \"x\"");
        assertThat(file.line(s.span().line()).codePoints().skip(s.span().column() - 1).findFirst()).hasValue('"');
    }
}
