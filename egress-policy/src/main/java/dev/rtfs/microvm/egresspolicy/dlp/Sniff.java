package dev.rtfs.microvm.egresspolicy.dlp;

/**
 * Which encoding layers are plausible in a text, from one pass over it: only those are decoded, so text that
 * wraps nothing costs one pass on top of the plain scan.
 */
record Sniff(boolean percentEscape, boolean plus, boolean backslashEscape, boolean quotedPrintable, boolean multiByte,
        boolean base64Run, boolean hexRun, boolean compressedMagic) {

    /** Shortest base64 run decoded: 16 characters are 12 bytes, shorter than any rule's shortest match but email. */
    static final int MIN_BASE64_RUN = 16;
    /** Shortest hex run decoded: 8 bytes. */
    static final int MIN_HEX_RUN = 16;

    boolean any() {
        return percentEscape || plus || backslashEscape || quotedPrintable || multiByte || base64Run || hexRun
                || compressedMagic;
    }

    static Sniff of(String s) {
        boolean percent = false, plus = false, backslash = false, qp = false, multi = false, b64 = false, hex = false,
                magic = false;
        int b64Len = 0, hexLen = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (TextLayers.base64Value(c) >= 0) {
                if (++b64Len >= MIN_BASE64_RUN) {
                    b64 = true;
                }
            } else if ((c != '\r' && c != '\n') || b64Len % 4 != 0) { // MIME base64 wraps lines on whole quanta
                b64Len = 0;
            }
            if (TextLayers.hexValue(c) >= 0) {
                if (++hexLen >= MIN_HEX_RUN) {
                    hex = true;
                }
            } else {
                hexLen = 0;
            }
            switch (c) {
                case '%' -> percent |= hex2(s, i + 1);
                case '+' -> plus = true;
                case '\\' -> backslash |= i + 1 < n && "u/\"\\xbfnrt".indexOf(s.charAt(i + 1)) >= 0;
                case '=' -> qp |= hex2(s, i + 1) || (i + 1 < n && (s.charAt(i + 1) == '\r' || s.charAt(i + 1) == '\n'));
                case '\u001f' -> magic |= i + 1 < n && s.charAt(i + 1) == '\u008b';
                case 'x' -> magic |= i + 1 < n && TextLayers.zlibHeader(c, s.charAt(i + 1));
                default -> multi |= c >= 0xC2 && TextLayers.invisibleLead(c);
            }
        }
        return new Sniff(percent, plus, backslash, qp, multi, b64, hex, magic);
    }

    /** Only the gzip / zlib magic, for views that are matched but not decoded further. */
    static boolean compressedMagic(String s) {
        for (int i = 0; i + 1 < s.length(); i++) {
            char c = s.charAt(i);
            if ((c == '\u001f' && s.charAt(i + 1) == '\u008b') || TextLayers.zlibHeader(c, s.charAt(i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hex2(String s, int at) {
        return at + 1 < s.length() && TextLayers.hexValue(s.charAt(at)) >= 0 && TextLayers.hexValue(s.charAt(at + 1)) >= 0;
    }
}
