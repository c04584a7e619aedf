package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * Where a value came from: source name, 0-based char offsets, 1-based line and column (columns count
 * Unicode code points; a tab is one column), and the call-site spans ({@code via}, innermost first)
 * when the value was produced inside a user function such as a profile macro.
 */
public record Span(String source, int offset, int line, int column, int endOffset, List<Span> via) {

    /** Span of values that were not read from any source (built-ins, computed numbers). */
    public static final Span NONE = new Span("<none>", 0, 0, 0, 0, List.of());

    public Span {
        via = List.copyOf(via);
    }

    public Span(String source, int offset, int line, int column, int endOffset) {
        this(source, offset, line, column, endOffset, List.of());
    }

    public boolean isKnown() {
        return line > 0;
    }

    /** The same position, produced through the given call sites (innermost first). */
    public Span withVia(List<Span> callSites) {
        return new Span(source, offset, line, column, endOffset, callSites);
    }

    /** {@code file:line:column}, the form every diagnostic uses. */
    public String location() {
        return source + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return location();
    }
}
