package dev.rtfs.microvm.lang;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads RTFS source text (DESIGN §3) into {@link Value}s with a {@link Span} on every node.
 *
 * <p>Total: any input yields values or exactly one {@link RtfsSyntaxException}; nesting deeper than
 * {@link #MAX_DEPTH} is a syntax error, so recursion can never overflow the stack. Hand-written over a
 * {@code char[]} because configs and plans are read on admission paths; no regex in the hot loop.
 *
 * <p>Lines are separated by LF (so CRLF is one break); columns are 1-based and count code points, a tab
 * being one column. Positions are computed lazily with a forward-only cursor, which keeps the scanner
 * loops free of line bookkeeping.
 */
public final class RtfsReader {

    /** Deepest accepted nesting of collections, metadata and discards. */
    public static final int MAX_DEPTH = 512;

    private static final int EOF = -1;

    private final String source;
    private final char[] buf;
    private final int len;
    private int pos;
    private int depth;

    // Forward-only position cursor: the line/column of offset curOff.
    private int curOff;
    private int curLine = 1;
    private int curCol = 1;

    private RtfsReader(String source, String text) {
        this.source = source;
        this.buf = text.toCharArray();
        this.len = buf.length;
    }

    /** All top-level forms of the file, in order. */
    public static List<Value> readAll(SourceFile file) {
        return readAll(file.name(), file.text());
    }

    /** All top-level forms of {@code text}; spans name {@code sourceName}. */
    public static List<Value> readAll(String sourceName, String text) {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(text, "text");
        return new RtfsReader(sourceName, text).readTopLevel();
    }

    /** Exactly one form (e.g. a value given on a command line); none or more than one is a syntax error. */
    public static Value readOne(String sourceName, String text) {
        List<Value> forms = readAll(sourceName, text);
        if (forms.size() == 1) return forms.get(0);
        if (forms.isEmpty()) {
            RtfsReader r = new RtfsReader(sourceName, text);
            throw r.error(text.length(), text.length(), "expected one form, found none");
        }
        Span second = forms.get(1).span();
        throw new RtfsSyntaxException("expected one form, found more", second);
    }

    // ---------------------------------------------------------------------------------------------
    // Top level and dispatch

    private List<Value> readTopLevel() {
        ArrayList<Value> out = new ArrayList<>();
        while (true) {
            int c = skipSpace();
            if (c == EOF) break;
            if (isCloser(c)) throw error(pos, pos + 1, "unexpected '" + (char) c + "' with no matching opener");
            out.add(readForm());
        }
        return List.copyOf(out);
    }

    /** Reads the form starting at {@code pos}; the caller has skipped space and checked for EOF/closers. */
    private Value readForm() {
        if (++depth > MAX_DEPTH) throw error(pos, pos + 1, "nesting deeper than " + MAX_DEPTH + " levels");
        char c = buf[pos];
        Value v;
        switch (c) {
            case '(' -> v = readSequence(')');
            case '[' -> v = readSequence(']');
            case '{' -> v = readMap();
            case '"' -> v = readString();
            case ':' -> v = readKeyword();
            case '^' -> v = readMeta();
            case '#' -> v = readDispatch();
            case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> v = readNumber();
            case '+', '-' -> v = (pos + 1 < len && isDigit(buf[pos + 1])) ? readNumber() : readSymbol();
            default -> {
                if (startsSymbol(pos)) v = readSymbol();
                else throw error(pos, pos + Character.charCount(Character.codePointAt(buf, pos)),
                        "unexpected character " + describe(pos));
            }
        }
        depth--;
        return v;
    }

    /**
     * Skips whitespace, comments and {@code #_} discards. Returns the char at {@code pos}, or EOF.
     */
    private int skipSpace() {
        final char[] b = buf;
        int p = pos;
        while (p < len) {
            char c = b[p];
            if (c == ' ' || c == '\n' || c == ',' || c == '\t' || c == '\r') {
                p++;
            } else if (c == ';') {
                p++;
                while (p < len && b[p] != '\n') p++;
            } else if (c == '#' && p + 1 < len && b[p + 1] == '|') {
                p = skipBlockComment(p);
            } else if (c == '#' && p + 1 < len && b[p + 1] == '_') {
                pos = p + 2;
                discard(p);
                p = pos;
            } else {
                pos = p;
                return c;
            }
        }
        pos = p;
        return EOF;
    }

    /** {@code #| ... |#}, nesting like Common Lisp so commented-out code may itself hold block comments. */
    private int skipBlockComment(int open) {
        final char[] b = buf;
        int p = open + 2;
        int nested = 1;
        while (p + 1 < len) {
            char c = b[p];
            if (c == '|' && b[p + 1] == '#') {
                p += 2;
                if (--nested == 0) return p;
            } else if (c == '#' && b[p + 1] == '|') {
                p += 2;
                nested++;
            } else {
                p++;
            }
        }
        throw error(open, open + 2, "unterminated block comment '#|' (no matching '|#')");
    }

    private void discard(int at) {
        if (++depth > MAX_DEPTH) throw error(at, at + 2, "nesting deeper than " + MAX_DEPTH + " levels");
        int c = skipSpace();
        if (c == EOF || isCloser(c)) throw error(at, at + 2, "'#_' must be followed by a form to discard");
        readForm();
        depth--;
    }

    // ---------------------------------------------------------------------------------------------
    // Collections

    private Value readSequence(char close) {
        final int start = pos;
        locate(start);
        final int line = curLine;
        final int col = curCol;
        pos++;
        ArrayList<Value> items = readItems(start, close);
        Span span = new Span(source, start, line, col, pos);
        return close == ')' ? new ListValue(items, span, MapValue.EMPTY) : new VectorValue(items, span, MapValue.EMPTY);
    }

    /** Reads forms up to and including {@code close}; an unclosed opener is reported where it opened. */
    private ArrayList<Value> readItems(int open, char close) {
        ArrayList<Value> items = new ArrayList<>();
        while (true) {
            int c = skipSpace();
            if (c == close) {
                pos++;
                return items;
            }
            if (c == EOF) {
                throw error(open, open + 1, "unclosed '" + openerText(open) + "': end of input reached before '" + close + "'");
            }
            if (isCloser(c)) {
                int at = pos;
                throw error(open, open + 1, "unclosed '" + openerText(open) + "': found '" + (char) c + "' at "
                        + where(at) + " where '" + close + "' was expected");
            }
            items.add(readForm());
        }
    }

    private Value readMap() {
        final int start = pos;
        locate(start);
        final int line = curLine;
        final int col = curCol;
        pos++;
        ArrayList<Value> items = readItems(start, '}');
        Span span = new Span(source, start, line, col, pos);
        int n = items.size();
        if ((n & 1) != 0) {
            Span lone = items.get(n - 1).span();
            throw new RtfsSyntaxException("map literal has a key without a value (odd number of forms)", lone);
        }
        LinkedHashMap<Value, Value> entries = new LinkedHashMap<>(Math.max(4, n));
        for (int i = 0; i < n; i += 2) {
            Value key = items.get(i);
            if (entries.putIfAbsent(key, items.get(i + 1)) != null) {
                Value first = firstEqual(entries.keySet(), key);
                throw new RtfsSyntaxException("duplicate key " + RtfsPrinter.print(key) + " in map literal (first at "
                        + first.span().location() + ")", key.span());
            }
        }
        return new MapValue(entries, span, MapValue.EMPTY);
    }

    private Value readSet(int hash) {
        locate(hash);
        final int line = curLine;
        final int col = curCol;
        pos = hash + 2;
        ArrayList<Value> items = readItems(hash, '}');
        Span span = new Span(source, hash, line, col, pos);
        LinkedHashSet<Value> set = new LinkedHashSet<>(Math.max(4, items.size() * 2));
        for (Value item : items) {
            if (!set.add(item)) {
                Value first = firstEqual(set, item);
                throw new RtfsSyntaxException("duplicate element " + RtfsPrinter.print(item) + " in set literal (first at "
                        + first.span().location() + ")", item.span());
            }
        }
        return new SetValue(set, span, MapValue.EMPTY);
    }

    private static Value firstEqual(Iterable<Value> values, Value v) {
        for (Value x : values) if (x.equals(v)) return x;
        return v;
    }

    // ---------------------------------------------------------------------------------------------
    // Metadata and '#' dispatch

    private Value readMeta() {
        final int at = pos;
        pos++;
        int c = skipSpace();
        if (c == EOF || isCloser(c)) throw error(at, at + 1, "'^' must be followed by metadata (a map or a keyword) and a form");
        Value m = readForm();
        MapValue meta = switch (m) {
            case MapValue map -> map;
            case KeywordValue k -> new MapValue(Map.of(k, new BoolValue(true, k.span(), MapValue.EMPTY)), k.span(), MapValue.EMPTY);
            default -> throw new RtfsSyntaxException("metadata must be a map or a keyword, not a " + m.typeName(), m.span());
        };
        c = skipSpace();
        if (c == EOF || isCloser(c)) throw error(at, at + 1, "metadata '^' has no form to attach to");
        Value target = readForm();
        MapValue existing = target.meta();
        if (existing != null && !existing.entries().isEmpty()) {
            // ^:a ^:b x: the outer metadata is merged over the inner one.
            LinkedHashMap<Value, Value> merged = new LinkedHashMap<>(existing.entries());
            merged.putAll(meta.entries());
            meta = new MapValue(merged, meta.span(), MapValue.EMPTY);
        }
        return target.withMeta(meta);
    }

    private Value readDispatch() {
        final int at = pos;
        if (at + 1 < len) {
            char d = buf[at + 1];
            if (d == '{') return readSet(at);
            if (d == '#') return readSymbolicValue(at);
        }
        throw error(at, Math.min(len, at + 2), "unknown dispatch '" + (at + 1 < len ? "#" + displayChar(at + 1) : "#")
                + "' (expected #{ set, #_ discard, #| comment |#, ##Inf, ##-Inf or ##NaN)");
    }

    private Value readSymbolicValue(int at) {
        int p = at + 2;
        while (p < len && isAsciiConstituent(buf[p])) p++;
        String name = new String(buf, at + 2, p - at - 2);
        double d;
        switch (name) {
            case "Inf" -> d = Double.POSITIVE_INFINITY;
            case "-Inf" -> d = Double.NEGATIVE_INFINITY;
            case "NaN" -> d = Double.NaN;
            default -> throw error(at, p, "unknown symbolic value '##" + name + "' (expected ##Inf, ##-Inf or ##NaN)");
        }
        locate(at);
        pos = p;
        expectDelimiter("symbolic value");
        return new FloatValue(d, new Span(source, at, curLine, curCol, p), MapValue.EMPTY);
    }

    // ---------------------------------------------------------------------------------------------
    // Atoms

    private Value readString() {
        final int start = pos;
        locate(start);
        final int line = curLine;
        final int col = curCol;
        final char[] b = buf;
        int p = start + 1;
        while (p < len) {
            char c = b[p];
            if (c == '"') {
                String s = new String(b, start + 1, p - start - 1);
                pos = p + 1;
                return new StringValue(s, new Span(source, start, line, col, pos), MapValue.EMPTY);
            }
            if (c == '\\') break;
            p++;
        }
        StringBuilder sb = new StringBuilder(p - start + 16);
        sb.append(b, start + 1, p - start - 1);
        while (p < len) {
            char c = b[p];
            if (c == '"') {
                pos = p + 1;
                return new StringValue(sb.toString(), new Span(source, start, line, col, pos), MapValue.EMPTY);
            }
            if (c != '\\') {
                sb.append(c);
                p++;
                continue;
            }
            if (p + 1 >= len) break;
            char e = b[p + 1];
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '\\' -> sb.append('\\');
                case '"' -> sb.append('"');
                case 'u' -> {
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int h = p + 2 + k < len ? Character.digit(b[p + 2 + k], 16) : -1;
                        if (h < 0 || b[p + 2 + k] > 'f') {
                            throw error(p, Math.min(len, p + 2 + k + 1), "invalid unicode escape in string: '\\u' needs four hex digits");
                        }
                        cp = cp * 16 + h;
                    }
                    sb.append((char) cp);
                    p += 4;
                }
                default -> throw error(p, p + 1 + Character.charCount(Character.codePointAt(b, p + 1)),
                        "invalid escape '\\" + displayChar(p + 1) + "' in string (allowed: \\n \\t \\r \\\\ \\\" \\uXXXX)");
            }
            p += 2;
        }
        throw error(start, start + 1, "unterminated string: end of input reached before the closing '\"'");
    }

    private Value readKeyword() {
        final int start = pos;
        int end = scanConstituents(start + 1);
        if (end == start + 1) {
            throw error(start, start + 1, "':' must be followed by a keyword name");
        }
        if (buf[start + 1] == ':') throw error(start, end, "keyword name cannot start with ':'");
        if (buf[end - 1] == ':') throw error(end - 1, end, "keyword cannot end with ':'");
        locate(start);
        pos = end;
        expectDelimiter("keyword");
        return new KeywordValue(new String(buf, start + 1, end - start - 1), new Span(source, start, curLine, curCol, end),
                MapValue.EMPTY);
    }

    private Value readSymbol() {
        final int start = pos;
        int end = scanConstituents(start);
        if (buf[end - 1] == ':') throw error(end - 1, end, "symbol cannot end with ':'");
        locate(start);
        pos = end;
        expectDelimiter("symbol");
        Span span = new Span(source, start, curLine, curCol, end);
        int n = end - start;
        if (n == 3 && buf[start] == 'n' && buf[start + 1] == 'i' && buf[start + 2] == 'l') {
            return new NilValue(span, MapValue.EMPTY);
        }
        if (n == 4 && buf[start] == 't' && buf[start + 1] == 'r' && buf[start + 2] == 'u' && buf[start + 3] == 'e') {
            return new BoolValue(true, span, MapValue.EMPTY);
        }
        if (n == 5 && buf[start] == 'f' && buf[start + 1] == 'a' && buf[start + 2] == 'l' && buf[start + 3] == 's'
                && buf[start + 4] == 'e') {
            return new BoolValue(false, span, MapValue.EMPTY);
        }
        return new SymbolValue(new String(buf, start, n), span, MapValue.EMPTY);
    }

    /**
     * Integers ({@code [+-]?digits}, 64-bit, no leading zeros) and floats ({@code [+-]?digits(.digits)?([eE][+-]?digits)?}
     * with a fraction or an exponent).
     */
    private Value readNumber() {
        final char[] b = buf;
        final int start = pos;
        int p = start;
        boolean negative = false;
        if (b[p] == '-' || b[p] == '+') {
            negative = b[p] == '-';
            p++;
        }
        final int digits = p;
        // Accumulate negatively so Long.MIN_VALUE fits.
        final long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        final long multMin = limit / 10;
        long acc = 0;
        boolean overflow = false;
        while (p < len) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) break;
            if (acc < multMin) overflow = true;
            acc *= 10;
            if (acc < limit + d) overflow = true;
            acc -= d;
            p++;
        }
        if (p - digits > 1 && b[digits] == '0') {
            throw error(start, p, "leading zeros are not allowed in numbers");
        }
        boolean isFloat = false;
        if (p < len && b[p] == '.') {
            isFloat = true;
            p++;
            int frac = p;
            while (p < len && isDigit(b[p])) p++;
            if (p == frac) throw error(p, Math.min(len, p + 1), "a digit must follow the decimal point");
        }
        if (p < len && (b[p] == 'e' || b[p] == 'E')) {
            isFloat = true;
            p++;
            if (p < len && (b[p] == '+' || b[p] == '-')) p++;
            int exp = p;
            while (p < len && isDigit(b[p])) p++;
            if (p == exp) throw error(p, Math.min(len, p + 1), "a digit must follow the exponent marker");
        }
        locate(start);
        pos = p;
        expectDelimiter("number");
        Span span = new Span(source, start, curLine, curCol, p);
        if (isFloat) {
            double d = Double.parseDouble(new String(b, start, p - start));
            if (Double.isInfinite(d)) throw new RtfsSyntaxException("float literal is out of the 64-bit range", span);
            return new FloatValue(d, span, MapValue.EMPTY);
        }
        if (overflow) {
            throw new RtfsSyntaxException("integer literal does not fit in 64 bits (range "
                    + Long.MIN_VALUE + " .. " + Long.MAX_VALUE + ")", span);
        }
        return new IntValue(negative ? acc : -acc, span, MapValue.EMPTY);
    }

    /** After an atom, only a delimiter or end of input may follow ({@code 12abc}, {@code foo#} are errors). */
    private void expectDelimiter(String what) {
        if (pos >= len) return;
        char c = buf[pos];
        switch (c) {
            case ' ', '\n', ',', '\t', '\r', '(', ')', '[', ']', '{', '}', '"', ';' -> { }
            default -> throw error(pos, pos + Character.charCount(Character.codePointAt(buf, pos)),
                    "unexpected character " + describe(pos) + " after " + what);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Character classes

    private static final byte CONSTITUENT = 1;
    private static final byte SYMBOL_START = 2;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) ASCII[c] = CONSTITUENT | SYMBOL_START;
        for (char c = 'A'; c <= 'Z'; c++) ASCII[c] = CONSTITUENT | SYMBOL_START;
        for (char c = '0'; c <= '9'; c++) ASCII[c] = CONSTITUENT;
        for (char c : "./-_?!*+=<>%$@&".toCharArray()) ASCII[c] = CONSTITUENT | SYMBOL_START;
        ASCII[':'] = CONSTITUENT;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isCloser(int c) {
        return c == ')' || c == ']' || c == '}';
    }

    private static boolean isAsciiConstituent(char c) {
        return c < 128 && (ASCII[c] & CONSTITUENT) != 0;
    }

    private boolean startsSymbol(int p) {
        char c = buf[p];
        if (c < 128) return (ASCII[c] & SYMBOL_START) != 0;
        return Character.isLetter(Character.codePointAt(buf, p));
    }

    /** End of the run of symbol characters (letters, digits, the listed punctuation, ':') from {@code p}. */
    private int scanConstituents(int p) {
        final char[] b = buf;
        while (p < len) {
            char c = b[p];
            if (c < 128) {
                if ((ASCII[c] & CONSTITUENT) == 0) break;
                p++;
            } else {
                int cp = Character.codePointAt(b, p);
                if (!Character.isLetterOrDigit(cp)) break;
                p += Character.charCount(cp);
            }
        }
        return p;
    }

    // ---------------------------------------------------------------------------------------------
    // Positions and errors

    /** Moves the position cursor to {@code off}, leaving line/column in curLine/curCol. */
    private void locate(int off) {
        if (off < curOff) {
            curOff = 0;
            curLine = 1;
            curCol = 1;
        }
        final char[] b = buf;
        int line = curLine;
        int col = curCol;
        for (int i = curOff; i < off; i++) {
            char c = b[i];
            if (c == '\n') {
                line++;
                col = 1;
            } else if (c < '\uDC00' || c > '\uDFFF' || i == 0 || !Character.isHighSurrogate(b[i - 1])) {
                col++; // the low half of a surrogate pair does not start a new code point
            }
        }
        curOff = off;
        curLine = line;
        curCol = col;
    }

    private String where(int off) {
        locate(off);
        return curLine + ":" + curCol;
    }

    private RtfsSyntaxException error(int off, int end, String message) {
        off = Math.max(0, Math.min(off, len));
        locate(off);
        return new RtfsSyntaxException(message, new Span(source, off, curLine, curCol, Math.max(off, Math.min(end, len))));
    }

    private String openerText(int open) {
        return buf[open] == '#' ? "#{" : String.valueOf(buf[open]);
    }

    private String describe(int p) {
        return "'" + displayChar(p) + "'";
    }

    /** A char for a message: itself when printable ASCII, else U+XXXX. */
    private String displayChar(int p) {
        int cp = Character.codePointAt(buf, p);
        if (cp > ' ' && cp < 127) return String.valueOf((char) cp);
        return String.format("U+%04X", cp);
    }
}
