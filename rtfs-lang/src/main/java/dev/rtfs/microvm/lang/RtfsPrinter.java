package dev.rtfs.microvm.lang;

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
 */
public final class RtfsPrinter {

    /** Target line width of {@link #pretty}. */
    public static final int WIDTH = 80;

    private RtfsPrinter() { }

    /** Canonical single-line form. */
    public static String print(Value v) {
        StringBuilder sb = new StringBuilder();
        writeFlat(sb, v);
        return sb.toString();
    }

    /** Indented multi-line form (no trailing newline). */
    public static String pretty(Value v) {
        Pretty p = new Pretty();
        p.write(v, 0);
        return p.sb.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Canonical form

    private static void writeFlat(StringBuilder sb, Value v) {
        writeMeta(sb, v);
        switch (v) {
            case NilValue n -> sb.append("nil");
            case BoolValue b -> sb.append(b.value());
            case IntValue i -> sb.append(i.value());
            case FloatValue f -> writeFloat(sb, f.value());
            case StringValue s -> writeString(sb, s.value());
            case KeywordValue k -> sb.append(':').append(k.name());
            case SymbolValue s -> sb.append(s.name());
            case ListValue l -> writeItems(sb, "(", l.items(), ")");
            case VectorValue vec -> writeItems(sb, "[", vec.items(), "]");
            case SetValue s -> writeItems(sb, "#{", s.items(), "}");
            case MapValue m -> {
                sb.append('{');
                writeEntries(sb, m.entries());
                sb.append('}');
            }
            case TaggedValue t -> {
                sb.append('(').append(t.tag());
                if (!t.map().entries().isEmpty()) sb.append(' ');
                writeEntries(sb, t.map().entries());
                sb.append(')');
            }
            case FnValue fn -> sb.append("#<fn ").append(fn.name()).append('>');
        }
    }

    private static void writeMeta(StringBuilder sb, Value v) {
        MapValue meta = v.meta();
        if (meta != null && meta != v && !meta.entries().isEmpty()) {
            sb.append("^{");
            writeEntries(sb, meta.entries());
            sb.append("} ");
        }
    }

    private static void writeItems(StringBuilder sb, String open, Iterable<Value> items, String close) {
        sb.append(open);
        boolean first = true;
        for (Value item : items) {
            if (!first) sb.append(' ');
            first = false;
            writeFlat(sb, item);
        }
        sb.append(close);
    }

    private static void writeEntries(StringBuilder sb, Map<Value, Value> entries) {
        boolean first = true;
        for (Map.Entry<Value, Value> e : entries.entrySet()) {
            if (!first) sb.append(' ');
            first = false;
            writeFlat(sb, e.getKey());
            sb.append(' ');
            writeFlat(sb, e.getValue());
        }
    }

    /** Always with a '.' or an exponent so the text reads back as a float, never as an integer. */
    static void writeFloat(StringBuilder sb, double d) {
        if (Double.isNaN(d)) sb.append("##NaN");
        else if (d == Double.POSITIVE_INFINITY) sb.append("##Inf");
        else if (d == Double.NEGATIVE_INFINITY) sb.append("##-Inf");
        else sb.append(Double.toString(d)); // "1.0", "1.0E10", "-2.5E-3": always has '.'
    }

    /** Escapes what the reader requires; control characters and lone surrogates as \\uXXXX. */
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
                    if (c < 0x20 || c == 0x7f) {
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
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

    /** Breaks a form only when its canonical text does not fit in the remaining width. */
    private static final class Pretty {
        final StringBuilder sb = new StringBuilder();
        int lineStart;

        int column() {
            return sb.length() - lineStart;
        }

        void newline(int indent) {
            sb.append('\n');
            lineStart = sb.length();
            sb.repeat(' ', indent);
        }

        void write(Value v, int indent) {
            String flat = print(v);
            if (column() + flat.length() <= WIDTH || isAtom(v)) {
                sb.append(flat);
                return;
            }
            MapValue meta = v.meta();
            if (meta != null && meta != v && !meta.entries().isEmpty()) {
                sb.append('^');
                write(meta, column() + 1);
                newline(indent);
            }
            switch (v) {
                case MapValue m -> writeMap("{", m.entries(), "}");
                case VectorValue vec -> writeSeq("[", vec.items(), "]");
                case SetValue s -> writeSeq("#{", s.items(), "}");
                case ListValue l -> writeCall(l.items(), indent);
                case TaggedValue t -> writeTagged(t, indent);
                default -> sb.append(flat); // atoms never reach here
            }
        }

        private static boolean isAtom(Value v) {
            return !(v instanceof MapValue || v instanceof VectorValue || v instanceof SetValue
                    || v instanceof ListValue || v instanceof TaggedValue);
        }

        /** {@code {:k v} } with every entry on its own line, values after their keys. */
        private void writeMap(String open, Map<Value, Value> entries, String close) {
            sb.append(open);
            int inner = column();
            boolean first = true;
            for (Map.Entry<Value, Value> e : entries.entrySet()) {
                if (!first) newline(inner);
                first = false;
                writeEntry(e.getKey(), e.getValue(), inner);
            }
            sb.append(close);
        }

        private void writeEntry(Value key, Value value, int inner) {
            int before = sb.length();
            write(key, inner);
            if (sb.indexOf("\n", before) >= 0) {
                newline(inner + 1);
                write(value, inner + 1);
            } else {
                sb.append(' ');
                write(value, column());
            }
        }

        /** Items aligned under the first one. */
        private void writeSeq(String open, Iterable<Value> items, String close) {
            sb.append(open);
            int inner = column();
            boolean first = true;
            for (Value item : items) {
                if (!first) newline(inner);
                first = false;
                write(item, inner);
            }
            sb.append(close);
        }

        /** {@code (head} then each argument on its own line, indented two columns from the paren. */
        private void writeCall(List<Value> items, int indent) {
            int base = column();
            sb.append('(');
            Iterator<Value> it = items.iterator();
            if (it.hasNext()) write(it.next(), base + 1);
            while (it.hasNext()) {
                newline(base + 2);
                write(it.next(), base + 2);
            }
            sb.append(')');
        }

        /** {@code (tag} then one {@code :k v} pair per line. */
        private void writeTagged(TaggedValue t, int indent) {
            int base = column();
            sb.append('(').append(t.tag());
            for (Map.Entry<Value, Value> e : t.map().entries().entrySet()) {
                newline(base + 2);
                writeEntry(e.getKey(), e.getValue(), base + 2);
            }
            sb.append(')');
        }
    }
}
