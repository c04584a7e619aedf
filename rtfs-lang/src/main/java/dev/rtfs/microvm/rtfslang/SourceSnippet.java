package dev.rtfs.microvm.rtfslang;

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
 * Tabs are shown as four spaces and control, bidi and other format characters as their {@link PrintableText}
 * escape ({@code \u202e}): the caret moves with them, so it stays under the character the span starts at, and
 * source text can neither reorder the line nor send escape sequences. Very long lines are shown as a window
 * around the column. A column past the end of the line puts the caret just after it.
 */
public final class SourceSnippet {

    private static final int TAB_WIDTH = 4;
    private static final int MAX_SHOWN = 160;
    private static final int CONTEXT_BEFORE = 60;
    /** Call-site notes beyond this are summarized. */
    private static final int MAX_NOTES = 12;

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
        sb.append(gutter).append("--> ").append(PrintableText.of(span.location())).append('\n');
        if (file == null || !file.name().equals(span.source())) return sb.toString();

        Excerpt shown = excerpt(file, span);
        StringBuilder text = new StringBuilder();
        if (shown.cutBefore()) text.append("...");
        int caretAt = text.length();
        for (int i = 0; i < shown.cps().length; i++) {
            if (i == shown.caret()) caretAt = text.length();
            appendDisplay(text, shown.cps()[i]);
        }
        if (shown.caret() >= shown.cps().length) caretAt = text.length();
        if (shown.cutAfter()) text.append("...");

        int width = underlineWidth(file, span, shown);
        String source = text.toString().stripTrailing();
        sb.append(gutter).append(" |\n");
        sb.append(span.line()).append(" |").append(source.isEmpty() ? "" : " " + source).append('\n');
        sb.append(gutter).append(" | ").append(" ".repeat(caretAt)).append("^".repeat(width));
        if (label != null && !label.isEmpty()) sb.append(' ').append(label);
        sb.append('\n');
        return sb.toString();
    }

    /**
     * The shown part of the span's line: its code points, the caret's index among them, and whether the line
     * goes on before / after them.
     */
    record Excerpt(int[] cps, int caret, boolean cutBefore, boolean cutAfter) { }

    static Excerpt excerpt(SourceFile file, Span span) {
        Excerpt near = excerptNearOffset(file.text(), span);
        return near != null ? near : excerptOfLine(file, span);
    }

    /** By line number: splits out the whole line (used when the span's offset does not match its column). */
    static Excerpt excerptOfLine(SourceFile file, Span span) {
        int[] cps = file.line(span.line()).codePoints().toArray();
        int col = Math.max(0, Math.min(span.column() - 1, cps.length)); // caret index into the line
        return window(cps, 0, cps.length, col);
    }

    /**
     * By offset: reads at most {@code MAX_SHOWN + 1} code points either side of the span's offset, so the cost
     * does not grow with the line or the file (thousands of diagnostics on one huge line stay linear). Null when
     * the offset and column disagree (the caller then takes the line by number).
     */
    static Excerpt excerptNearOffset(String text, Span span) {
        int off = span.offset();
        int col = span.column() - 1;
        if (off < 0 || off > text.length() || col < 0) return null;
        if (off > 0 && text.charAt(off - 1) == '\r' && (off == text.length() || text.charAt(off) == '\n')) return null;
        int reach = MAX_SHOWN + 1;
        int backCount = Math.min(col, reach);
        int[] back = new int[backCount];
        int p = off;
        for (int i = backCount - 1; i >= 0; i--) {
            if (p == 0 || text.charAt(p - 1) == '\n') return null; // the line starts before the column says
            int cp = Character.codePointBefore(text, p);
            back[i] = cp;
            p -= Character.charCount(cp);
        }
        if (col <= reach && p > 0 && text.charAt(p - 1) != '\n') return null; // the line starts earlier
        int[] ahead = new int[reach];
        int after = 0;
        int q = off;
        while (q < text.length() && after < reach && text.charAt(q) != '\n') {
            int cp = text.codePointAt(q);
            ahead[after++] = cp;
            q += Character.charCount(cp);
        }
        boolean lineEnds = after < reach;
        if (lineEnds && after > 0 && ahead[after - 1] == '\r') after--; // CRLF: the CR is not shown
        int[] near = new int[backCount + after];
        System.arraycopy(back, 0, near, 0, backCount);
        System.arraycopy(ahead, 0, near, backCount, after);
        // near[i] is the line's code point at index col - backCount + i; a line that goes on past what was
        // read counts as reach code points after the column (the window then never reaches its end).
        return window(near, col - backCount, col + after, col);
    }

    /**
     * The window of at most MAX_SHOWN code points around {@code col} in a line of {@code lineLength} code points,
     * given {@code cps} = the line's code points from index {@code first}.
     */
    private static Excerpt window(int[] cps, int first, int lineLength, int col) {
        int from = 0;
        int to = lineLength;
        if (lineLength > MAX_SHOWN) { // show a window around the column
            from = Math.max(0, Math.min(col - CONTEXT_BEFORE, lineLength - MAX_SHOWN));
            to = Math.min(lineLength, from + MAX_SHOWN);
        }
        return new Excerpt(java.util.Arrays.copyOfRange(cps, from - first, to - first), col - from, from > 0, to < lineLength);
    }

    /**
     * One {@code <lead>note: <verb> file:line:col} line per call site (innermost first), consecutive repeats
     * (recursion) folded into "site (N times)" and more than {@code MAX_NOTES} summarized as "... N more".
     */
    public static String notes(java.util.List<Span> sites, String lead, String verb) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < sites.size(); ) {
            String at = sites.get(i).location();
            int j = i;
            while (j < sites.size() && sites.get(j).location().equals(at)) j++;
            if (++shown == MAX_NOTES && j < sites.size()) {
                sb.append(lead).append("note: ... ").append(remainingNotes(sites, i)).append(" more\n");
                break;
            }
            sb.append(lead).append("note: ").append(verb).append(' ').append(PrintableText.of(at));
            if (j - i > 1) sb.append(" (").append(j - i).append(" times)");
            sb.append('\n');
            i = j;
        }
        return sb.toString();
    }

    private static int remainingNotes(java.util.List<Span> sites, int from) {
        int count = 0;
        for (int i = from; i < sites.size(); i++) {
            if (i == from || !sites.get(i).location().equals(sites.get(i - 1).location())) count++;
        }
        return count;
    }

    private static void appendDisplay(StringBuilder sb, int cp) {
        if (cp == '\t') sb.append(" ".repeat(TAB_WIDTH));
        else PrintableText.append(sb, cp);
    }

    /** Columns {@link #appendDisplay} takes for {@code cp} (an escape is as wide as its text). */
    private static int displayWidth(int cp) {
        return cp == '\t' ? TAB_WIDTH : PrintableText.isEscaped(cp) ? PrintableText.width(cp) : 1;
    }

    /** Display width of the span on its first line (at least one caret; tabs count four, escapes their length). */
    private static int underlineWidth(SourceFile file, Span span, Excerpt shown) {
        String text = file.text();
        int start = span.offset();
        int end = span.endOffset();
        if (start < 0 || end <= start || end > text.length()) return 1;
        // Counting further than the shown code points cannot change the width.
        int lengthCps = text.codePointCount(start, Math.min(end, start + 2 * (MAX_SHOWN + 1)));
        int width = 0;
        int[] cps = shown.cps();
        for (int i = shown.caret(); i < Math.min(cps.length, shown.caret() + lengthCps); i++) {
            width += displayWidth(cps[i]);
        }
        return Math.max(1, width);
    }
}
