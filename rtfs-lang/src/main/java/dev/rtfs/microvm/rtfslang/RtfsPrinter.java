package dev.rtfs.microvm.rtfslang;

import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes values as RTFS text that {@link RtfsReader} reads back to an equal value.
 *
 * <p>{@link #print} is canonical and on one line (no commas, single spaces); {@link #pretty} breaks forms
 * longer than {@link #WIDTH} columns deterministically (maps one entry per line, sequences one item per line),
 * so its output is stable for golden files. Non-empty metadata is printed as {@code ^{…}} before the form,
 * a {@link TaggedValue} as its constructor call {@code (tag :k v …)}, a function as {@code #<fn name>}
 * (not data: it does not read back).
 *
 * <p>Size: the canonical and the pretty printer share the escaping, the bounds and the per-type cases; kept
 * together so the two can never disagree on what reads back.
 */
public final class RtfsPrinter {

    /** Target line width of {@link #pretty}. */
    public static final int WIDTH = 80;

    /**
     * Longest printed form, in chars: shared structure ({@code (let [a [1 2] b [a a] c [b b] …] …)}) is small in
     * memory but its printed form doubles per level, so printing stops here instead of writing gigabytes.
     */
    public static final long MAX_CHARS = 16L << 20;

    /** Deepest printed nesting (values and their metadata): the reader's, so whatever prints reads back. */
    public static final int MAX_DEPTH = RtfsReader.MAX_DEPTH;

    private RtfsPrinter() { }

    /** Canonical single-line form; over {@link #MAX_CHARS} or {@link #MAX_DEPTH} is an {@link RtfsLimitException}. */
    public static String print(Value v) {
        return print(v, MAX_CHARS);
    }

    /** Canonical single-line form of at most {@code maxChars} chars, else an {@link RtfsLimitException}. */
    public static String print(Value v, long maxChars) {
        Out out = new Out(maxChars);
        try {
            writeFlat(out, v, 0);
        } catch (Full full) {
            throw tooLarge(v, out, maxChars);
        }
        return out.sb.toString();
    }

    /**
     * The canonical form cut to at most {@code maxChars} chars plus "…", for messages: never throws, whatever the
     * value's size or depth.
     */
    public static String abbreviated(Value v, int maxChars) {
        Out out = new Out(maxChars);
        try {
            writeFlat(out, v, 0);
            return out.sb.toString();
        } catch (Full | RtfsLimitException cut) {
            return out.sb.toString() + "…";
        }
    }

    /** Indented multi-line form (no trailing newline), bounded like {@link #print}. */
    public static String pretty(Value v) {
        return pretty(v, MAX_CHARS);
    }

    /** Indented multi-line form of at most {@code maxChars} chars, else an {@link RtfsLimitException}. */
    public static String pretty(Value v, long maxChars) {
        Pretty p = new Pretty(maxChars);
        try {
            p.write(v, 0, 0);
        } catch (Full full) {
            throw tooLarge(v, p.out, maxChars);
        }
        return p.out.sb.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Bounds

    /** Where the text goes, with its bound: an append that would pass it throws {@link Full} instead. */
    private static final class Out {
        final StringBuilder sb = new StringBuilder();
        long limit; // lowered for a while by Pretty.tryFlat
        // The innermost value with a known position being printed, for the error message.
        Span current = Span.NONE;

        Out(long limit) {
            this.limit = limit;
        }

        Out append(String s) {
            if (sb.length() + (long) s.length() > limit) throw Full.FULL;
            sb.append(s);
            return this;
        }

        Out append(char c) {
            if (sb.length() >= limit) throw Full.FULL;
            sb.append(c);
            return this;
        }

        void check() {
            if (sb.length() > limit) throw Full.FULL;
        }
    }

    /** Unwinds a print that reached its bound (no stack trace: it is control flow, caught in this class). */
    private static final class Full extends RuntimeException {
        // Immutable (no stack trace, no suppression), so one instance serves every throw.
        static final Full FULL = new Full();

        private Full() {
            super(null, null, false, false);
        }
    }

    private static RtfsLimitException tooLarge(Value v, Out out, long maxChars) {
        Span at = v.span() != null && v.span().isKnown() ? v.span() : out.current;
        String inner = out.current.isKnown() && !out.current.equals(at) ? "; stopped in the value built at " + out.current.location() : "";
        return new RtfsLimitException(RtfsLimitException.Bound.RTFS_OUTPUT_LIMIT, "the printed form of this value is"
                + " longer than " + maxChars + " characters (shared structure is expanded when printed)" + inner, at);
    }

    private static int deeper(Value v, Out out, int depth) {
        if (v.span() != null && v.span().isKnown()) out.current = v.span();
        if (depth >= MAX_DEPTH) {
            throw new RtfsLimitException(RtfsLimitException.Bound.RTFS_OUTPUT_LIMIT,
                    "the printed form of this value is nested deeper than " + MAX_DEPTH + " levels",
                    out.current.isKnown() ? out.current : v.span());
        }
        return depth + 1;
    }

    // ---------------------------------------------------------------------------------------------
    // Canonical form

    private static void writeFlat(Out sb, Value v, int depth) {
        int d = deeper(v, sb, depth);
        writeMeta(sb, v, d);
        switch (v) {
            case NilValue n -> sb.append("nil");
            case BoolValue b -> sb.append(String.valueOf(b.value()));
            case IntValue i -> sb.append(Long.toString(i.value()));
            case FloatValue f -> sb.append(floatText(f.value()));
            case StringValue s -> writeString(sb, s.value());
            case KeywordValue k -> sb.append(':').append(k.name());
            case SymbolValue s -> sb.append(s.name());
            case ListValue l -> writeItems(sb, "(", l.items(), ")", d);
            case VectorValue vec -> writeItems(sb, "[", vec.items(), "]", d);
            case SetValue s -> writeItems(sb, "#{", s.items(), "}", d);
            case MapValue m -> {
                sb.append('{');
                writeEntries(sb, m.entries(), d);
                sb.append('}');
            }
            case TaggedValue t -> {
                sb.append('(').append(t.tag());
                if (!t.map().entries().isEmpty()) sb.append(' ');
                writeEntries(sb, t.map().entries(), d);
                sb.append(')');
            }
            case FnValue fn -> sb.append("#<fn ").append(fn.name()).append('>');
        }
    }

    private static void writeMeta(Out sb, Value v, int depth) {
        MapValue meta = v.meta();
        if (meta != null && meta != v && !meta.entries().isEmpty()) {
            sb.append("^{");
            writeEntries(sb, meta.entries(), depth);
            sb.append("} ");
        }
    }

    private static void writeItems(Out sb, String open, Iterable<Value> items, String close, int depth) {
        sb.append(open);
        boolean first = true;
        for (Value item : items) {
            if (!first) sb.append(' ');
            first = false;
            writeFlat(sb, item, depth);
        }
        sb.append(close);
    }

    private static void writeEntries(Out sb, Map<Value, Value> entries, int depth) {
        boolean first = true;
        for (Map.Entry<Value, Value> e : entries.entrySet()) {
            if (!first) sb.append(' ');
            first = false;
            writeFlat(sb, e.getKey(), depth);
            sb.append(' ');
            writeFlat(sb, e.getValue(), depth);
        }
    }

    static void writeFloat(StringBuilder sb, double d) {
        sb.append(floatText(d));
    }

    /** Always with a '.' or an exponent so the text reads back as a float, never as an integer. */
    private static String floatText(double d) {
        if (Double.isNaN(d)) return "##NaN";
        if (d == Double.POSITIVE_INFINITY) return "##Inf";
        if (d == Double.NEGATIVE_INFINITY) return "##-Inf";
        return Double.toString(d); // "1.0", "1.0E10", "-2.5E-3": always has '.'
    }

    private static void writeString(Out out, String s) {
        StringBuilder sb = out.sb;
        // Each char prints as at least one: a string longer than the room cannot fit, so stop before escaping it.
        if (s.length() > out.limit - sb.length()) throw Full.FULL;
        writeString(sb, s);
        if (sb.length() > out.limit) { // escapes took it over: keep what fits (abbreviated shows it), never half a pair
            int keep = (int) out.limit;
            if (keep > 0 && Character.isHighSurrogate(sb.charAt(keep - 1))) keep--;
            sb.setLength(keep);
            throw Full.FULL;
        }
    }

    /**
     * Escapes what the reader requires, and as \\uXXXX whatever {@link PrintableText} would not show raw (control,
     * bidi and other format characters, line separators, lone surrogates): the text reads back equal and cannot
     * reorder or forge the lines it is printed on.
     */
    static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        char low = s.charAt(++i);
                        if (PrintableText.isEscaped(Character.toCodePoint(c, low))) {
                            unicodeEscape(sb, c);
                            unicodeEscape(sb, low);
                        } else {
                            sb.append(c).append(low);
                        }
                    } else if (PrintableText.isEscaped(c)) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u");
        String hex = Integer.toHexString(c);
        for (int k = hex.length(); k < 4; k++) sb.append('0');
        sb.append(hex);
    }

    // ---------------------------------------------------------------------------------------------
    // Pretty form

    /**
     * Breaks a form only when its canonical text does not fit in the remaining width. Whether it fits is found by
     * printing at most WIDTH chars of it, so each node costs O(WIDTH), never the size of what it holds.
     */
    private static final class Pretty {
        /** Marks a value whose canonical text is wider than WIDTH (compared by identity). */
        private static final String TOO_WIDE = new String("(too wide)");
        /** Bound on remembered texts (a few MB): shared structure needs a few entries, trees fill it and go on. */
        private static final int MEMO_ENTRIES = 1 << 16;

        final Out out;
        final StringBuilder sb;
        final IdentityHashMap<Value, String> flatOf = new IdentityHashMap<>();
        int lineStart;

        Pretty(long maxChars) {
            out = new Out(maxChars);
            sb = out.sb;
        }

        int column() {
            return sb.length() - lineStart;
        }

        void newline(int indent) {
            out.append('\n');
            lineStart = sb.length();
            if (sb.length() + (long) indent > out.limit) throw Full.FULL;
            sb.repeat(' ', indent);
        }

        /**
         * The canonical text of {@code v} when it is at most WIDTH chars, else {@link #TOO_WIDE}; remembered per
         * value (identity), so a value shared a million times is measured once and the output is the only cost.
         * Values hold no more than WIDTH / 2 levels in WIDTH chars: far from MAX_DEPTH, the text is the same
         * wherever the value is printed.
         */
        private String flatUpToWidth(Value v, int depth) {
            String text = flatOf.get(v);
            if (text != null) return text;
            Out scratch = new Out(WIDTH);
            try {
                writeFlat(scratch, v, depth);
                text = scratch.sb.toString();
            } catch (Full tooWide) {
                text = TOO_WIDE;
            }
            if (flatOf.size() < MEMO_ENTRIES) flatOf.put(v, text);
            return text;
        }

        /**
         * Writes the canonical text of {@code v} when it takes at most {@code room} chars and says whether it did;
         * written in place and taken back when too wide, so a form that fits is printed once, not twice.
         */
        private boolean tryFlat(Value v, int room, int depth) {
            int mark = sb.length();
            long bound = out.limit;
            out.limit = Math.min(bound, mark + (long) Math.max(0, room));
            try {
                writeFlat(out, v, depth);
                return true;
            } catch (Full tooWide) { // or over the whole bound: breaking it up then reaches that bound too
                sb.setLength(mark);
                return false;
            } finally {
                out.limit = bound;
            }
        }

        void write(Value v, int indent, int depth) {
            if (isAtom(v)) {
                writeFlat(out, v, depth);
                return;
            }
            int room = WIDTH - column();
            if (depth < MAX_DEPTH - WIDTH) {
                String flat = flatUpToWidth(v, depth);
                if (flat != TOO_WIDE && flat.length() <= room) {
                    out.append(flat);
                    return;
                }
            } else if (tryFlat(v, room, depth)) { // near the depth bound the memo could hide a too-deep print
                return;
            }
            int d = deeper(v, out, depth);
            MapValue meta = v.meta();
            if (meta != null && meta != v && !meta.entries().isEmpty()) {
                out.append('^');
                write(meta, column() + 1, d);
                newline(indent);
            }
            switch (v) {
                case MapValue m -> writeMap("{", m.entries(), "}", d);
                case VectorValue vec -> writeSeq("[", vec.items(), "]", d);
                case SetValue s -> writeSeq("#{", s.items(), "}", d);
                case ListValue l -> writeCall(l.items(), d);
                case TaggedValue t -> writeTagged(t, d);
                default -> writeFlat(out, v, depth); // atoms never reach here
            }
        }

        private static boolean isAtom(Value v) {
            return !(v instanceof MapValue || v instanceof VectorValue || v instanceof SetValue
                    || v instanceof ListValue || v instanceof TaggedValue);
        }

        /** {@code {:k v} } with every entry on its own line, values after their keys. */
        private void writeMap(String open, Map<Value, Value> entries, String close, int depth) {
            out.append(open);
            int inner = column();
            boolean first = true;
            for (Map.Entry<Value, Value> e : entries.entrySet()) {
                if (!first) newline(inner);
                first = false;
                writeEntry(e.getKey(), e.getValue(), inner, depth);
            }
            out.append(close);
        }

        private void writeEntry(Value key, Value value, int inner, int depth) {
            int line = lineStart;
            write(key, inner, depth);
            if (lineStart != line) { // the key took more than one line
                newline(inner + 1);
                write(value, inner + 1, depth);
            } else {
                out.append(' ');
                write(value, column(), depth);
            }
        }

        /** Items aligned under the first one. */
        private void writeSeq(String open, Iterable<Value> items, String close, int depth) {
            out.append(open);
            int inner = column();
            boolean first = true;
            for (Value item : items) {
                if (!first) newline(inner);
                first = false;
                write(item, inner, depth);
            }
            out.append(close);
        }

        /** {@code (head} then each argument on its own line, indented two columns from the paren. */
        private void writeCall(List<Value> items, int depth) {
            int base = column();
            out.append('(');
            Iterator<Value> it = items.iterator();
            if (it.hasNext()) write(it.next(), base + 1, depth);
            while (it.hasNext()) {
                newline(base + 2);
                write(it.next(), base + 2, depth);
            }
            out.append(')');
        }

        /** {@code (tag} then one {@code :k v} pair per line. */
        private void writeTagged(TaggedValue t, int depth) {
            int base = column();
            out.append('(').append(t.tag());
            for (Map.Entry<Value, Value> e : t.map().entries().entrySet()) {
                newline(base + 2);
                writeEntry(e.getKey(), e.getValue(), base + 2, depth);
            }
            out.append(')');
        }
    }
}
