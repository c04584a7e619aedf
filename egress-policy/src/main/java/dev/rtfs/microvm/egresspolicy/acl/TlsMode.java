package dev.rtfs.microvm.egresspolicy.acl;

/**
 * What the proxy does with a CONNECT tunnel's TLS. {@link #TUNNEL} splices the bytes after the SNI check (DLP and
 * methods are blind); {@link #INTERCEPT} terminates the guest's TLS with a leaf of the proxy's per-run CA and applies
 * the plain-HTTP rules to every decrypted request, then re-originates TLS to the origin. Ordered weakest first, so
 * the stricter of two is {@code max}.
 */
public enum TlsMode {
    TUNNEL,
    INTERCEPT;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TlsMode fromJson(String s) {
        return switch (s) {
            case "tunnel" -> TUNNEL;
            case "intercept" -> INTERCEPT;
            default -> throw new IllegalArgumentException("must be \"tunnel\" or \"intercept\", not \"" + s + "\"");
        };
    }

    public static TlsMode stricter(TlsMode a, TlsMode b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
