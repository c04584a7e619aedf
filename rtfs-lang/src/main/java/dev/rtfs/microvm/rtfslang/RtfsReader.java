package dev.rtfs.microvm.rtfslang;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads RTFS source text (docs/rtfs-2.0) into {@link Value}s with a {@link Span} on every node.
 *
 * <p>Total: any input yields values or exactly one {@link RtfsSyntaxException}; nesting deeper than
 * {@link #MAX_DEPTH} is a syntax error, so recursion can never overflow the stack. Hand-written, indexing the
 * String directly (no copy of the text) because configs and plans are read on admission paths; no regex.
 *
 * <p>Lines are separated by LF (so CRLF is one break, and lines match {@link SourceFile#line}); columns are
 * 1-based and count code points, a tab being one column. The scanner tracks line starts as it goes, so a
 * node's position costs nothing extra; error positions are recounted from the start (once per read).
 *
 * <p>Size: one scanner because every production shares its cursor, line starts and depth on the admission path;
 * splitting it would pass that state around per character.
 */
public final class RtfsReader {

    /** Deepest accepted nesting of collections, metadata and discards. */
    public static final int MAX_DEPTH = 512;

    private static final int EOF = -1;
    private static final char BOM = '\uFEFF';

    private final String source;
    private final String text;
    private final int len;
    private int pos;
    private int depth;

    // Children of the collections being read, innermost last; copied out once per collection.
    private Value[] stack = new Value[64];
    private int sp;

    // Recently read keyword/symbol names: configs repeat the same few keys, so share the Strings (and their hashes).
    private final String[] names = new String[1024];
    // Hash of the last run scanned by scanConstituents (String.hashCode of its chars).
    private int scanHash;

    // Position tracking done by the scanner itself: the current line, where it starts, and how many surrogate
    // pairs (two chars, one column) were scanned on it so far. Every newline and pair in a string, block comment
    // or symbol is seen by exactly one scanner loop; ';' comments run to the end of the line, so theirs don't matter.
    private int line = 1;
    private int lineStart;
    private int linePairs;
    // Line and column of the form readForm is about to read.
    private int nodeLine;
    private int nodeCol;
    // Result of slowLocate (error paths only).
    private int errLine;
    private int errCol;

    private RtfsReader(String source, String text) {
        this.source = source;
        this.text = text;
        this.len = text.length();
        // A byte-order mark some editors write is not part of the text: skip it, and don't count it as a column.
        if (len > 0 && text.charAt(0) == BOM) {
            pos = 1;
            lineStart = 1;
        }
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
        char c = text.charAt(pos);
        nodeLine = line;
        nodeCol = pos - lineStart - linePairs + 1;
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
            case '+', '-' -> v = (pos + 1 < len && isDigit(text.charAt(pos + 1))) ? readNumber() : readSymbol();
            default -> {
                if (startsSymbol(pos)) v = readSymbol();
                else throw error(pos, pos + Character.charCount(Character.codePointAt(text, pos)),
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
        final String b = text;
        int p = pos;
        while (p < len) {
            char c = b.charAt(p);
            if (c == ' ' || c == ',' || c == '\t' || c == '\r') {
                p++;
            } else if (c == '\n') {
                newline(p);
                p++;
            } else if (c == ';') {
                p++;
                while (p < len && b.charAt(p) != '\n') p++;
            } else if (c == '#' && p + 1 < len && b.charAt(p + 1) == '|') {
                p = skipBlockComment(p);
            } else if (c == '#' && p + 1 < len && b.charAt(p + 1) == '_') {
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
        final String b = text;
        int p = open + 2;
        int nested = 1;
        while (p + 1 < len) {
            char c = b.charAt(p);
            if (c == '|' && b.charAt(p + 1) == '#') {
                p += 2;
                if (--nested == 0) return p;
            } else if (c == '#' && b.charAt(p + 1) == '|') {
                p += 2;
                nested++;
            } else {
                if (c == '\n') newline(p);
                else if (c >= '\uD800' && isPairTail(b, p + 1)) linePairs++;
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
        final int line = nodeLine;
        final int col = nodeCol;
        pos++;
        int base = readItems(start, close);
        ValueArrayList items = new ValueArrayList(pop(base));
        Span span = new Span(source, start, line, col, pos);
        return close == ')' ? new ListValue(items, span, MapValue.EMPTY) : new VectorValue(items, span, MapValue.EMPTY);
    }

    // The stack is not cleared: the reader is discarded after one read, and its slots are overwritten.
    private Value[] pop(int base) {
        Value[] out = Arrays.copyOfRange(stack, base, sp);
        sp = base;
        return out;
    }

    /**
     * Reads forms up to and including {@code close} onto the stack and returns where they start; an unclosed
     * opener is reported where it opened.
     */
    private int readItems(int open, char close) {
        final int base = sp;
        while (true) {
            int c = skipSpace();
            if (c == close) {
                pos++;
                return base;
            }
            if (c == EOF) {
                throw error(open, open + 1, "unclosed '" + openerText(open) + "': end of input reached before '" + close + "'");
            }
            if (isCloser(c)) {
                int at = pos;
                throw error(open, open + 1, "unclosed '" + openerText(open) + "': found '" + (char) c + "' at "
                        + where(at) + " where '" + close + "' was expected");
            }
            Value v = readForm();
            if (sp == stack.length) stack = Arrays.copyOf(stack, sp * 2);
            stack[sp++] = v;
        }
    }

    private Value readMap() {
        final int start = pos;
        final int line = nodeLine;
        final int col = nodeCol;
        pos++;
        int base = readItems(start, '}');
        Span span = new Span(source, start, line, col, pos);
        int n = sp - base;
        if ((n & 1) != 0) {
            Span lone = stack[sp - 1].span();
            throw new RtfsSyntaxException("map literal has a key without a value (odd number of forms)", lone);
        }
        Value[] kv = pop(base);
        int dup = ValueArrayMap.indexOfDuplicate(kv, 2);
        if (dup >= 0) {
            Value key = kv[dup];
            Value first = key;
            for (int i = 0; i < dup; i += 2) {
                if (kv[i].equals(key)) {
                    first = kv[i];
                    break;
                }
            }
            throw new RtfsSyntaxException("duplicate key " + RtfsPrinter.abbreviated(key, 80) + " in map literal (first at "
                    + first.span().location() + ")", key.span());
        }
        return new MapValue(new ValueArrayMap(kv), span, MapValue.EMPTY);
    }

    private Value readSet(int hash) {
        final int line = nodeLine;
        final int col = nodeCol;
        pos = hash + 2;
        Value[] items = pop(readItems(hash, '}'));
        Span span = new Span(source, hash, line, col, pos);
        int dup = ValueArrayMap.indexOfDuplicate(items, 1);
        if (dup >= 0) {
            Value item = items[dup];
            Value first = firstEqual(Arrays.asList(items), item);
            throw new RtfsSyntaxException("duplicate element " + RtfsPrinter.abbreviated(item, 80) + " in set literal (first at "
                    + first.span().location() + ")", item.span());
        }
        return new SetValue(new ValueArraySet(items), span, MapValue.EMPTY);
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
            char d = text.charAt(at + 1);
            if (d == '{') return readSet(at);
            if (d == '#') return readSymbolicValue(at);
        }
        throw error(at, Math.min(len, at + 2), "unknown dispatch '" + (at + 1 < len ? "#" + displayChar(at + 1) : "#")
                + "' (expected #{ set, #_ discard, #| comment |#, ##Inf, ##-Inf or ##NaN)");
    }

    private Value readSymbolicValue(int at) {
        int p = at + 2;
        while (p < len && isAsciiConstituent(text.charAt(p))) p++;
        String name = text.substring(at + 2, p);
        double d;
        switch (name) {
            case "Inf" -> d = Double.POSITIVE_INFINITY;
            case "-Inf" -> d = Double.NEGATIVE_INFINITY;
            case "NaN" -> d = Double.NaN;
            default -> throw error(at, p, "unknown symbolic value '##" + name + "' (expected ##Inf, ##-Inf or ##NaN)");
        }
        pos = p;
        expectDelimiter("symbolic value");
        return new FloatValue(d, new Span(source, at, nodeLine, nodeCol, p), MapValue.EMPTY);
    }

    // ---------------------------------------------------------------------------------------------
    // Atoms

    private Value readString() {
        final int start = pos;
        final int line = nodeLine;
        final int col = nodeCol;
        final String b = text;
        int p = start + 1;
        while (p < len) {
            char c = b.charAt(p);
            if (c == '"') {
                String s = b.substring(start + 1, p);
                pos = p + 1;
                return new StringValue(s, new Span(source, start, line, col, pos), MapValue.EMPTY);
            }
            if (c == '\\') break;
            if (c == '\n') newline(p);
            else if (c >= '\uD800' && c <= '\uDBFF' && p + 1 < len && Character.isLowSurrogate(b.charAt(p + 1))) linePairs++;
            p++;
        }
        StringBuilder sb = new StringBuilder(p - start + 16);
        sb.append(b, start + 1, p);
        while (p < len) {
            char c = b.charAt(p);
            if (c == '"') {
                pos = p + 1;
                return new StringValue(sb.toString(), new Span(source, start, line, col, pos), MapValue.EMPTY);
            }
            if (c != '\\') {
                int run = p;
                char r;
                while (run < len && (r = b.charAt(run)) != '"' && r != '\\') {
                    if (r == '\n') newline(run);
                    else if (r >= '\uD800' && r <= '\uDBFF' && run + 1 < len && Character.isLowSurrogate(b.charAt(run + 1))) linePairs++;
                    run++;
                }
                sb.append(b, p, run);
                p = run;
                continue;
            }
            if (p + 1 >= len) break;
            char e = b.charAt(p + 1);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '\\' -> sb.append('\\');
                case '"' -> sb.append('"');
                case 'u' -> {
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int h = p + 2 + k < len ? Character.digit(b.charAt(p + 2 + k), 16) : -1;
                        if (h < 0 || b.charAt(p + 2 + k) > 'f') {
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
        final int line = nodeLine;
        final int col = nodeCol;
        int end = scanConstituents(start + 1);
        int hash = scanHash;
        if (end == start + 1) {
            throw error(start, start + 1, "':' must be followed by a keyword name");
        }
        if (text.charAt(start + 1) == ':') throw error(start, end, "keyword name cannot start with ':'");
        if (text.charAt(end - 1) == ':') throw error(end - 1, end, "keyword cannot end with ':'");
        pos = end;
        expectDelimiter("keyword");
        return new KeywordValue(name(start + 1, end, hash), new Span(source, start, line, col, end),
                MapValue.EMPTY);
    }

    private Value readSymbol() {
        final int start = pos;
        final int line = nodeLine;
        final int col = nodeCol;
        int end = scanConstituents(start);
        int hash = scanHash;
        if (text.charAt(end - 1) == ':') throw error(end - 1, end, "symbol cannot end with ':'");
        pos = end;
        expectDelimiter("symbol");
        Span span = new Span(source, start, line, col, end);
        int n = end - start;
        if (n == 3 && text.charAt(start) == 'n' && text.charAt(start + 1) == 'i' && text.charAt(start + 2) == 'l') {
            return new NilValue(span, MapValue.EMPTY);
        }
        if (n == 4 && text.charAt(start) == 't' && text.charAt(start + 1) == 'r' && text.charAt(start + 2) == 'u' && text.charAt(start + 3) == 'e') {
            return new BoolValue(true, span, MapValue.EMPTY);
        }
        if (n == 5 && text.charAt(start) == 'f' && text.charAt(start + 1) == 'a' && text.charAt(start + 2) == 'l' && text.charAt(start + 3) == 's'
                && text.charAt(start + 4) == 'e') {
            return new BoolValue(false, span, MapValue.EMPTY);
        }
        return new SymbolValue(name(start, end, hash), span, MapValue.EMPTY);
    }

    // A plain loop: names are short, where the vectorized regionMatches costs more than it saves.
    private static boolean sameChars(String a, String b, int from, int n) {
        for (int i = 0; i < n; i++) if (a.charAt(i) != b.charAt(from + i)) return false;
        return true;
    }

    /** The String for text[start, end) (hash {@code h}), shared with an earlier equal name when the cache has it. */
    private String name(int start, int end, int h) {
        int slot = (h ^ (h >>> 10)) & (names.length - 1);
        String cached = names[slot];
        int n = end - start;
        if (cached != null && cached.length() == n && sameChars(cached, text, start, n)) return cached;
        String s = text.substring(start, end);
        names[slot] = s;
        return s;
    }

    /**
     * Integers ({@code [+-]?digits}, 64-bit, no leading zeros) and floats ({@code [+-]?digits(.digits)?([eE][+-]?digits)?}
     * with a fraction or an exponent).
     */
    private Value readNumber() {
        final String b = text;
        final int start = pos;
        int p = start;
        boolean negative = false;
        if (b.charAt(p) == '-' || b.charAt(p) == '+') {
            negative = b.charAt(p) == '-';
            p++;
        }
        final int digits = p;
        // Accumulate negatively so Long.MIN_VALUE fits.
        final long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        final long multMin = limit / 10;
        long acc = 0;
        boolean overflow = false;
        long mantissa = 0; // all digits as one integer, for the exact float fast path
        int mantissaDigits = 0;
        while (p < len) {
            int d = b.charAt(p) - '0';
            if (d < 0 || d > 9) break;
            if (acc < multMin) overflow = true;
            acc *= 10;
            if (acc < limit + d) overflow = true;
            acc -= d;
            p++;
        }
        mantissa = -acc;
        mantissaDigits = p - digits;
        int exp10 = 0;
        if (p - digits > 1 && b.charAt(digits) == '0') {
            throw error(start, p, "leading zeros are not allowed in numbers");
        }
        boolean isFloat = false;
        if (p < len && b.charAt(p) == '.') {
            isFloat = true;
            p++;
            int frac = p;
            while (p < len && isDigit(b.charAt(p))) {
                if (mantissaDigits < 18) mantissa = mantissa * 10 + (b.charAt(p) - '0');
                mantissaDigits++;
                exp10--;
                p++;
            }
            if (p == frac) throw error(p, Math.min(len, p + 1), "a digit must follow the decimal point");
        }
        if (p < len && (b.charAt(p) == 'e' || b.charAt(p) == 'E')) {
            isFloat = true;
            p++;
            boolean negativeExp = false;
            if (p < len && (b.charAt(p) == '+' || b.charAt(p) == '-')) negativeExp = b.charAt(p++) == '-';
            int exp = p;
            int e = 0;
            while (p < len && isDigit(b.charAt(p))) {
                if (e < 10_000) e = e * 10 + (b.charAt(p) - '0');
                p++;
            }
            if (p == exp) throw error(p, Math.min(len, p + 1), "a digit must follow the exponent marker");
            exp10 += negativeExp ? -e : e;
        }
        pos = p;
        expectDelimiter("number");
        Span span = new Span(source, start, nodeLine, nodeCol, p);
        if (isFloat) {
            double d = fastDouble(mantissa, mantissaDigits, exp10, overflow);
            if (Double.isNaN(d)) d = Double.parseDouble(b.substring(start, p)); // keeps the sign
            else if (negative) d = -d;
            if (Double.isInfinite(d)) throw new RtfsSyntaxException("float literal is out of the 64-bit range", span);
            return new FloatValue(d, span, MapValue.EMPTY);
        }
        if (overflow) {
            throw new RtfsSyntaxException("integer literal does not fit in 64 bits (range "
                    + Long.MIN_VALUE + " .. " + Long.MAX_VALUE + ")", span);
        }
        return new IntValue(negative ? acc : -acc, span, MapValue.EMPTY);
    }

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    /**
     * Clinger's exact fast path: a mantissa below 2^53 times or divided by a power of ten up to 10^22 (both exact
     * doubles) is correctly rounded by one IEEE operation. NaN means "use the full parser".
     */
    private static double fastDouble(long mantissa, int digits, int exp10, boolean intOverflow) {
        if (intOverflow || digits > 15 || exp10 < -22 || exp10 > 22) return Double.NaN;
        double m = mantissa;
        return exp10 < 0 ? m / POW10[-exp10] : m * POW10[exp10];
    }

    /** After an atom, only a delimiter or end of input may follow ({@code 12abc}, {@code foo#} are errors). */
    private void expectDelimiter(String what) {
        if (pos >= len) return;
        char c = text.charAt(pos);
        if (c < 128 && (ASCII[c] & DELIMITER) != 0) return;
        throw error(pos, pos + Character.charCount(Character.codePointAt(text, pos)),
                "unexpected character " + describe(pos) + " after " + what);
    }

    // ---------------------------------------------------------------------------------------------
    // Character classes

    private static final byte CONSTITUENT = 1;
    private static final byte SYMBOL_START = 2;
    private static final byte DELIMITER = 4;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) ASCII[c] = CONSTITUENT | SYMBOL_START;
        for (char c = 'A'; c <= 'Z'; c++) ASCII[c] = CONSTITUENT | SYMBOL_START;
        for (char c = '0'; c <= '9'; c++) ASCII[c] = CONSTITUENT;
        for (char c : "./-_?!*+=<>%$@&".toCharArray()) ASCII[c] = CONSTITUENT | SYMBOL_START;
        ASCII[':'] = CONSTITUENT;
        for (char c : " \n,\t\r()[]{}\";".toCharArray()) ASCII[c] = DELIMITER;
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
        char c = text.charAt(p);
        if (c < 128) return (ASCII[c] & SYMBOL_START) != 0;
        return Character.isLetter(Character.codePointAt(text, p));
    }

    /** End of the run of symbol characters (letters, digits, the listed punctuation, ':') from {@code p}. */
    private int scanConstituents(int p) {
        final String b = text;
        int h = 0;
        while (p < len) {
            char c = b.charAt(p);
            if (c < 128) {
                if ((ASCII[c] & CONSTITUENT) == 0) break;
                h = 31 * h + c;
                p++;
            } else {
                int cp = Character.codePointAt(b, p);
                if (!Character.isLetterOrDigit(cp)) break;
                h = 31 * h + c;
                if (cp > 0xFFFF) {
                    h = 31 * h + b.charAt(p + 1);
                    linePairs++;
                }
                p += Character.charCount(cp);
            }
        }
        scanHash = h;
        return p;
    }

    // ---------------------------------------------------------------------------------------------
    // Positions and errors

    /** Line/column of any offset, computed from the start (error paths only); leaves them in errLine/errCol. */
    private void slowLocate(int off) {
        final String b = text;
        int ln = 1;
        int col = 1;
        for (int i = 0; i < off; i++) {
            char c = b.charAt(i);
            if (c == '\n') {
                ln++;
                col = 1;
            } else if (!isPairTail(b, i) && !(i == 0 && c == BOM)) {
                col++;
            }
        }
        errLine = ln;
        errCol = col;
    }

    /** The low half of a surrogate pair: it does not start a new code point, so not a new column. */
    private static boolean isPairTail(String b, int i) {
        char c = b.charAt(i);
        return c >= '\uDC00' && c <= '\uDFFF' && i > 0 && Character.isHighSurrogate(b.charAt(i - 1));
    }

    private void newline(int p) {
        line++;
        lineStart = p + 1;
        linePairs = 0;
    }

    private String where(int off) {
        slowLocate(off);
        return errLine + ":" + errCol;
    }

    private RtfsSyntaxException error(int off, int end, String message) {
        off = Math.max(0, Math.min(off, len));
        slowLocate(off);
        return new RtfsSyntaxException(message, new Span(source, off, errLine, errCol, Math.max(off, Math.min(end, len))));
    }

    private String openerText(int open) {
        return text.charAt(open) == '#' ? "#{" : String.valueOf(text.charAt(open));
    }

    private String describe(int p) {
        return "'" + displayChar(p) + "'";
    }

    /** A char for a message: itself when printable ASCII, else U+XXXX. */
    private String displayChar(int p) {
        int cp = Character.codePointAt(text, p);
        if (cp > ' ' && cp < 127) return String.valueOf((char) cp);
        return String.format("U+%04X", cp);
    }
}
