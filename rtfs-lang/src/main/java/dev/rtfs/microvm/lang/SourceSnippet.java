package dev.rtfs.microvm.lang;

/**
 * Renders the rustc-style location block shared by every diagnostic renderer:
 *
 * <pre>
 *  --> config.rtfs:3:5
 *   |
 * 3 |     :vcpus 0
 *   |     ^^^^^^ label
 * </pre>
 *
 * Tabs are shown as four spaces (the caret moves with them), control characters as U+FFFD, and very long
 * lines as a window around the column. A column past the end of the line puts the caret just after it.
 */
public final class SourceSnippet {

    private static final int TAB_WIDTH = 4;
    private static final int MAX_SHOWN = 160;
    private static final int CONTEXT_BEFORE = 60;

    private SourceSnippet() { }

    /**
     * The block for {@code span} in {@code file}, every line ending in {@code \n}. Only the {@code -->} line
     * when {@code file} is null or is not the span's source; empty when the span has no position.
     *
     * @param label text after the caret, or null / empty for none
     */
    public static String render(SourceFile file, Span span, String label) {
        if (span == null || !span.isKnown()) return "";
        String gutter = " ".repeat(Integer.toString(span.line()).length());
        StringBuilder sb = new StringBuilder();
        sb.append(gutter).append("--> ").append(span.location()).append('\n');
        if (file == null || !file.name().equals(span.source())) return sb.toString();

        int[] cps = file.line(span.line()).codePoints().toArray();
        int col = Math.max(0, Math.min(span.column() - 1, cps.length)); // caret index into the line
        int from = 0;
        int to = cps.length;
        if (cps.length > MAX_SHOWN) { // show a window around the column
            from = Math.max(0, Math.min(col - CONTEXT_BEFORE, cps.length - MAX_SHOWN));
            to = Math.min(cps.length, from + MAX_SHOWN);
        }
        StringBuilder text = new StringBuilder();
        if (from > 0) text.append("...");
        int caretAt = text.length();
        for (int i = from; i < to; i++) {
            if (i == col) caretAt = text.length();
            appendDisplay(text, cps[i]);
        }
        if (col >= to) caretAt = text.length();
        if (to < cps.length) text.append("...");

        int width = underlineWidth(file, span, cps, col, to);
        String source = text.toString().stripTrailing();
        sb.append(gutter).append(" |\n");
        sb.append(span.line()).append(" |").append(source.isEmpty() ? "" : " " + source).append('\n');
        sb.append(gutter).append(" | ").append(" ".repeat(caretAt)).append("^".repeat(width));
        if (label != null && !label.isEmpty()) sb.append(' ').append(label);
        sb.append('\n');
        return sb.toString();
    }

    private static void appendDisplay(StringBuilder sb, int cp) {
        if (cp == '\t') sb.append(" ".repeat(TAB_WIDTH));
        else if (Character.isISOControl(cp)) sb.append('\uFFFD');
        else sb.appendCodePoint(cp);
    }

    /** Display width of the span on its first line (at least one caret; tabs count four). */
    private static int underlineWidth(SourceFile file, Span span, int[] cps, int col, int shownTo) {
        String text = file.text();
        int start = span.offset();
        int end = span.endOffset();
        if (start < 0 || end <= start || end > text.length()) return 1;
        int lengthCps = text.codePointCount(start, end);
        int width = 0;
        for (int i = col; i < Math.min(shownTo, col + lengthCps); i++) {
            width += cps[i] == '\t' ? TAB_WIDTH : 1;
        }
        return Math.max(1, width);
    }
}
