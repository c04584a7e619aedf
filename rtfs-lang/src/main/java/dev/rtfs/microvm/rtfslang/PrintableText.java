package dev.rtfs.microvm.rtfslang;

/**
 * User- or guest-written text (keys, step names, file content, source lines) made safe for a terminal or a log line:
 * every code point {@link #isEscaped} becomes {@code \\uXXXX} (a supplementary one as its two UTF-16 escapes), so
 * input can neither forge lines, send escape sequences, nor reorder what is shown with bidi controls
 * ("Trojan Source", CVE-2021-42574).
 *
 * <p>The one escaper: control-plane uses it for guest-sent text too (a frame's detail, an unknown message type).
 */
public final class PrintableText {
    private PrintableText() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * C0, DEL and C1 controls; format characters (Unicode Cf: the bidi embeddings, overrides and isolates
     * U+202A–U+202E and U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero-width characters, the BOM); line and
     * paragraph separators U+2028/U+2029; lone surrogates.
     */
    public static boolean isEscaped(int cp) {
        if (cp < 0x7f) return cp < 0x20; // the common case first: printable ASCII
        if (Character.isISOControl(cp)) return true; // DEL and C1 U+0080–U+009F
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    public static String of(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) { // most text needs no escape: return it as it is
            int cp = s.codePointAt(i);
            if (isEscaped(cp)) break;
            i += Character.charCount(cp);
        }
        if (i == n) return s;
        StringBuilder sb = new StringBuilder(n + 16).append(s, 0, i);
        while (i < n) {
            int cp = s.codePointAt(i);
            append(sb, cp);
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** {@link #of}, cut to at most {@code max} characters (plus "…"), never inside an escape or a surrogate pair. */
    public static String abbreviated(String s, int max) {
        String p = of(s.length() > 6L * max + 6 ? s.substring(0, 6 * max + 6) : s);
        if (p.length() <= max) return p;
        int end = Character.isHighSurrogate(p.charAt(max - 1)) ? max - 1 : max;
        int slash = p.lastIndexOf("\\u", end - 1);
        if (slash >= 0 && slash + 6 > end) end = slash;
        return p.substring(0, end) + "…";
    }

    /** Appends {@code cp} as it is, or as its escape. */
    public static void append(StringBuilder sb, int cp) {
        if (!isEscaped(cp)) {
            sb.appendCodePoint(cp);
        } else if (Character.isBmpCodePoint(cp)) {
            escape(sb, (char) cp);
        } else {
            escape(sb, Character.highSurrogate(cp));
            escape(sb, Character.lowSurrogate(cp));
        }
    }

    /** How many chars {@link #append} writes for {@code cp}. */
    public static int width(int cp) {
        if (!isEscaped(cp)) return Character.charCount(cp);
        return Character.isBmpCodePoint(cp) ? 6 : 12;
    }

    private static void escape(StringBuilder sb, char c) {
        sb.append('\\').append('u').append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
