package dev.rtfs.microvm.egresspolicy.net;

import java.math.BigInteger;
import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host normalization (egress-policy/README.md): lowercase, one trailing dot dropped, IDNA to punycode, and detection of IP
 * literals in every notation a resolver or URL parser might accept (inet_aton forms: {@code 2130706433},
 * {@code 0x7f.1}, {@code 017700000001}, {@code 127.1}; bracketed or bare IPv6, IPv4-mapped).
 */
public final class HostNormalizer {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    /*
     * Normalizing is pure, and a proxy normalizes the same few hosts for every request (an intercepted request three
     * times: its Host header, the decision, the policy), each an IDNA conversion: a third of the proxy's allocation.
     * Remembered here, bounded: past CACHE_MAX entries the map starts over, so a client cycling through names costs
     * recomputation, never memory. The values are immutable.
     */
    private static final int CACHE_MAX = 4096;
    private static final int CACHE_KEY_MAX = 300;
    private static final ConcurrentHashMap<String, NormalizedHost> CACHE = new ConcurrentHashMap<>();

    private HostNormalizer() {}

    public static NormalizedHost normalize(String raw) {
        if (raw == null || raw.length() > CACHE_KEY_MAX) {
            return compute(raw);
        }
        NormalizedHost known = CACHE.get(raw);
        if (known != null) {
            return known;
        }
        NormalizedHost n = compute(raw);
        if (CACHE.size() >= CACHE_MAX) {
            CACHE.clear();
        }
        CACHE.put(raw, n);
        return n;
    }

    /** Entries remembered now (tests: the bound holds). */
    static int cacheSize() {
        return CACHE.size();
    }

    private static NormalizedHost compute(String raw) {
        if (raw == null || raw.isEmpty()) {
            return new NormalizedHost.Invalid(String.valueOf(raw), "empty host");
        }
        String s = raw;
        if (s.startsWith("[") || s.indexOf(':') >= 0) {
            String inner = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
            return new NormalizedHost.Literal(raw, IpAddress.parseV6(inner).map(IpAddress::of));
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '%' || c == '@' || c == '/' || c == '\\' || c == ' ' || c == '#'
                    || c == '?') {
                return new NormalizedHost.Invalid(raw, "forbidden character in host");
            }
        }
        String ascii;
        try {
            // Nameprep maps full-width digits and dots too, so the IP-literal check below runs after it.
            ascii = IDN.toASCII(s, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return new NormalizedHost.Invalid(raw, "not a valid IDNA host name");
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.isEmpty()) {
            return new NormalizedHost.Invalid(raw, "empty host");
        }
        String[] labels = ascii.split("\\.", -1);
        if (looksNumeric(labels[labels.length - 1])) {
            return new NormalizedHost.Literal(raw, parseInetAton(labels).map(IpAddress::of));
        }
        if (ascii.length() > MAX_NAME) {
            return new NormalizedHost.Invalid(raw, "host name longer than 253 characters");
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                return new NormalizedHost.Invalid(raw, "empty label in host name");
            }
            if (label.length() > MAX_LABEL) {
                return new NormalizedHost.Invalid(raw, "label longer than 63 characters");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return new NormalizedHost.Invalid(raw, "character '" + c + "' not allowed in host name");
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return new NormalizedHost.Invalid(raw, "label starts or ends with '-'");
            }
        }
        return new NormalizedHost.Name(ascii);
    }

    /** A label a URL parser would read as a number: decimal digits, or 0x followed by hex digits (or nothing). */
    private static boolean looksNumeric(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.startsWith("0x")) {
            return label.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return label.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** inet_aton: 1 to 4 parts; each decimal, 0-prefixed octal or 0x hex; the last part fills remaining bytes. */
    private static Optional<byte[]> parseInetAton(String[] parts) {
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int radix = 10;
            String digits = p;
            if (p.startsWith("0x")) {
                radix = 16;
                digits = p.substring(2);
                if (digits.isEmpty()) {
                    digits = "0";
                }
            } else if (p.length() > 1 && p.startsWith("0")) {
                radix = 8;
                digits = p.substring(1);
            }
            if (digits.isEmpty()) {
                return Optional.empty();
            }
            BigInteger v;
            try {
                v = new BigInteger(digits, radix);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (v.bitLength() > 32) {
                return Optional.empty();
            }
            values[i] = v.longValue();
        }
        int n = parts.length;
        for (int i = 0; i < n - 1; i++) {
            if (values[i] > 255) {
                return Optional.empty();
            }
        }
        int lastBytes = 4 - (n - 1);
        if (values[n - 1] >= (1L << (8 * lastBytes))) {
            return Optional.empty();
        }
        long addr = 0;
        for (int i = 0; i < n - 1; i++) {
            addr |= values[i] << (8 * (3 - i));
        }
        addr |= values[n - 1];
        return Optional.of(new byte[] {(byte) (addr >> 24), (byte) (addr >> 16), (byte) (addr >> 8), (byte) addr});
    }
}
