package dev.rtfs.microvm.egresspolicy.dlp;

/**
 * The text decoders of the DLP. Texts are byte strings (ISO-8859-1: one char per byte), and so is every output:
 * an escape of a code point past U+007F becomes its UTF-8 bytes. Each decoder leaves what it does not recognise
 * as it was, and never throws.
 */
final class TextLayers {

    private TextLayers() {}

    /**
     * The decoded runs of a text, text-like ones and binary ones apart (a binary run, say an image, is matched and
     * searched for compressed data but not decoded further: its bytes are no text an escape could hide in).
     */
    record Runs(String text, String binary, EncodingLayer layer) {}

    /** Decoded runs in, sorted by {@link #textLike}. */
    private static final class Sorter {
        final StringBuilder text = new StringBuilder();
        final StringBuilder binary = new StringBuilder();
        final StringBuilder scratch = new StringBuilder();

        void take() {
            (textLike(scratch) ? text : binary).append(scratch).append('\n');
            scratch.setLength(0);
        }

        Runs runs(EncodingLayer layer) {
            return new Runs(text.toString(), binary.toString(), layer);
        }
    }

    /**
     * At most 2% bytes that text does not have (control characters, bytes past 0x7F outside a valid UTF-8
     * sequence), plus two for the partial bytes at the ends of a misaligned reading: random bytes have about 60%.
     */
    static boolean textLike(CharSequence b) {
        int bad = 0;
        int n = b.length();
        for (int i = 0; i < n; i++) {
            char c = b.charAt(i);
            if (c < 0x80) {
                if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                    bad++;
                }
                continue;
            }
            int len = c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
            boolean valid = len > 0 && i + len <= n;
            for (int k = 1; valid && k < len; k++) {
                char d = b.charAt(i + k);
                valid = d >= 0x80 && d <= 0xBF;
            }
            if (valid) {
                i += len - 1;
            } else {
                bad++;
            }
        }
        return bad <= 2 + n / 50;
    }

    /** Base64 and base64url share 62 of 64 symbols; one table reads both (and a run that mixes them). */
    static int base64Value(char c) {
        return c < 128 ? BASE64[c] : -1;
    }

    private static final byte[] BASE64 = new byte[128];
    private static final byte[] HEX = new byte[128];

    static {
        java.util.Arrays.fill(BASE64, (byte) -1);
        java.util.Arrays.fill(HEX, (byte) -1);
        String symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < symbols.length(); i++) {
            BASE64[symbols.charAt(i)] = (byte) i;
        }
        BASE64['+'] = 62;
        BASE64['-'] = 62;
        BASE64['/'] = 63;
        BASE64['_'] = 63;
        for (int i = 0; i < 16; i++) {
            HEX["0123456789abcdef".charAt(i)] = (byte) i;
            HEX["0123456789ABCDEF".charAt(i)] = (byte) i;
        }
    }

    /** 0x78 then a FLG byte that makes a valid zlib header (RFC 1950: CMF*256+FLG divisible by 31). */
    static boolean zlibHeader(char cmf, char flg) {
        return cmf == 0x78 && flg < 256 && (cmf * 256 + flg) % 31 == 0 && (flg & 0x20) == 0;
    }

    /**
     * Every base64 run of at least {@link Sniff#MIN_BASE64_RUN} symbols (line breaks inside a run allowed, as in
     * MIME), decoded starting {@code skip} symbols in (0 for a run that starts on a quantum; 1-3 catch a run an
     * agent misaligned with a prefix), one decoded run per line; null when there is no run. The JDK decoder takes
     * one alphabet, whole quanta and no offset, so this small loop does the 6-bit packing itself.
     */
    static Runs base64Runs(String s, int skip) {
        return base64Runs(s, base64RunBounds(s), skip);
    }

    /** Where a base64 run is: {@code s[start, end)}, across line breaks when {@code wrapped}. */
    record RunBounds(int start, int end, boolean wrapped) {}

    /** The runs of at least {@link Sniff#MIN_BASE64_RUN} symbols, found once for the four readings. */
    static java.util.List<RunBounds> base64RunBounds(String s) {
        java.util.List<RunBounds> found = new java.util.ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char first = s.charAt(i);
            if (base64Value(first) < 0) {
                // The symbols of an escape before a run ("%20", "\\n", "=3D") are not the run's first symbols.
                i += first == '%' && hex(s, i + 1, 2) >= 0 ? 3 : first == '=' && hex(s, i + 1, 2) >= 0 ? 3
                        : first == '\\' ? 2 : 1;
                continue;
            }
            int start = i;
            int symbols = 0;
            boolean wrapped = false;
            while (i < n) {
                char c = s.charAt(i);
                if (base64Value(c) >= 0) {
                    symbols++;
                } else if ((c != '\r' && c != '\n') || symbols % 4 != 0) {
                    // A MIME line ends on a whole quantum; any other line break ends the run.
                    break;
                } else {
                    wrapped = true;
                }
                i++;
            }
            if (symbols >= Sniff.MIN_BASE64_RUN) {
                found.add(new RunBounds(start, i, wrapped));
            }
        }
        return found;
    }

    /** The runs decoded {@code skip} symbols in; null when there are none. */
    static Runs base64Runs(String s, java.util.List<RunBounds> bounds, int skip) {
        if (bounds.isEmpty()) {
            return null;
        }
        Sorter out = new Sorter();
        boolean url = false;
        for (RunBounds r : bounds) {
            url |= decodeBase64(s, r.start(), r.end(), skip, out.scratch);
            out.take();
            if (r.wrapped()) {
                // Also line by line: text on the line before or after a one-line run is not glued to its bytes.
                for (int a = r.start(); a < r.end(); ) {
                    int b = a;
                    while (b < r.end() && s.charAt(b) != '\r' && s.charAt(b) != '\n') {
                        b++;
                    }
                    if (b - a >= Sniff.MIN_BASE64_RUN) {
                        decodeBase64(s, a, b, skip, out.scratch);
                        out.take();
                    }
                    a = b + 1;
                }
            }
        }
        return out.runs(url ? EncodingLayer.BASE64URL : EncodingLayer.BASE64);
    }

    /** Decodes the symbols of {@code s[from, to)} after the first {@code skip}; true on a base64url symbol. */
    private static boolean decodeBase64(String s, int from, int to, int skip, StringBuilder out) {
        boolean url = false;
        int bits = 0;
        int acc = 0;
        int seen = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            int v = base64Value(c);
            if (v < 0 || seen++ < skip) {
                continue;
            }
            url |= c == '-' || c == '_';
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.append((char) ((acc >> bits) & 0xFF));
            }
        }
        return url;
    }

    /** Every run of at least {@link Sniff#MIN_HEX_RUN} hex digits, decoded from digit {@code skip} (0 or 1). */
    static Runs hexRuns(String s, int skip) {
        Sorter out = null;
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (hexValue(s.charAt(i)) < 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && hexValue(s.charAt(i)) >= 0) {
                i++;
            }
            if (i - start < Sniff.MIN_HEX_RUN) {
                continue;
            }
            if (out == null) {
                out = new Sorter();
            }
            for (int k = start + skip; k + 1 < i; k += 2) {
                out.scratch.append((char) (hexValue(s.charAt(k)) * 16 + hexValue(s.charAt(k + 1))));
            }
            out.take();
        }
        return out == null ? null : out.runs(EncodingLayer.HEX);
    }

    /** JSON / JavaScript string escapes: {@code \\uXXXX} (surrogate pairs joined), {@code \\xHH}, {@code \\n} and kin. */
    static String jsonUnescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            char e = s.charAt(i + 1);
            if (e == 'u' && hex(s, i + 2, 4) >= 0) {
                int cp = hex(s, i + 2, 4);
                i += 5;
                if (Character.isHighSurrogate((char) cp) && i + 6 < n && s.charAt(i + 1) == '\\'
                        && s.charAt(i + 2) == 'u' && hex(s, i + 3, 4) >= 0
                        && Character.isLowSurrogate((char) hex(s, i + 3, 4))) {
                    cp = Character.toCodePoint((char) cp, (char) hex(s, i + 3, 4));
                    i += 6;
                }
                appendUtf8(out, cp);
            } else if (e == 'x' && hex(s, i + 2, 2) >= 0) {
                out.append((char) hex(s, i + 2, 2));
                i += 3;
            } else {
                int simple = "nrtbf/\"\\".indexOf(e);
                if (simple < 0) {
                    out.append(c);
                    continue;
                }
                out.append("\n\r\t\b\f/\"\\".charAt(simple));
                i++;
            }
        }
        return out.toString();
    }

    /** Quoted-printable (RFC 2045): {@code =XX} is a byte, {@code =} at a line end joins the lines. */
    static String quotedPrintableDecode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (hex(s, i + 1, 2) >= 0) {
                out.append((char) hex(s, i + 1, 2));
                i += 2;
            } else if (i + 1 < n && s.charAt(i + 1) == '\n') {
                i += 1;
            } else if (i + 2 < n && s.charAt(i + 1) == '\r' && s.charAt(i + 2) == '\n') {
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Drops UTF-8 encoded code points that render as nothing (zero-width, bidi controls, joiners, tags, ...). */
    static String stripInvisible(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            int len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 1;
            if (len == 1 || i + len > n) {
                out.append(c);
                continue;
            }
            int cp = c & (0xFF >> (len + 1));
            boolean valid = true;
            for (int k = 1; k < len; k++) {
                char d = s.charAt(i + k);
                valid &= d >= 0x80 && d <= 0xBF;
                cp = (cp << 6) | (d & 0x3F);
            }
            if (valid && invisible(cp)) {
                i += len - 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** UTF-8 lead bytes that start some invisible code point (C2, E2, EF, F3, ...): the sniff's cheap test. */
    private static final boolean[] INVISIBLE_LEAD = new boolean[256];

    static {
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            if (invisible(cp)) {
                INVISIBLE_LEAD[cp < 0x800 ? 0xC0 | cp >> 6 : cp < 0x10000 ? 0xE0 | cp >> 12 : 0xF0 | cp >> 18] = true;
            }
        }
    }

    static boolean invisibleLead(char c) {
        return c < 256 && INVISIBLE_LEAD[c];
    }

    /** Format characters (Cf: U+200B-U+200F, U+2060-U+2064, U+FEFF, U+00AD, tags...) and blank fillers. */
    static boolean invisible(int cp) {
        if (Character.getType(cp) == Character.FORMAT) {
            return true;
        }
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x180B && cp <= 0x180F) || cp == 0x3164 || cp == 0xFFA0
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    private static void appendUtf8(StringBuilder out, int cp) {
        if (cp < 0x80) {
            out.append((char) cp);
        } else if (cp < 0x800) {
            out.append((char) (0xC0 | cp >> 6)).append((char) (0x80 | cp & 0x3F));
        } else if (cp < 0x10000) {
            out.append((char) (0xE0 | cp >> 12)).append((char) (0x80 | cp >> 6 & 0x3F)).append((char) (0x80 | cp & 0x3F));
        } else {
            out.append((char) (0xF0 | cp >> 18)).append((char) (0x80 | cp >> 12 & 0x3F))
                    .append((char) (0x80 | cp >> 6 & 0x3F)).append((char) (0x80 | cp & 0x3F));
        }
    }

    static int hexValue(char c) {
        return c < 128 ? HEX[c] : -1;
    }

    /** The value of {@code len} hex digits at {@code at}, or -1. */
    private static int hex(String s, int at, int len) {
        if (at + len > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < len; k++) {
            int d = hexValue(s.charAt(at + k));
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
