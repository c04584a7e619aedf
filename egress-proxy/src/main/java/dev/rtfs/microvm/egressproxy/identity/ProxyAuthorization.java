package dev.rtfs.microvm.egressproxy.identity;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Reads the token out of a {@code Proxy-Authorization} header: {@code Bearer <token>} or {@code Basic
 * base64(<any user>:<token>)} (what {@code curl --proxy-user x:TOKEN} sends). Never echoes the value in a refusal.
 */
public final class ProxyAuthorization {

    /** Far above a projected ServiceAccount token (about 1 KiB); a longer header is refused unread. */
    static final int MAX_LENGTH = 16 * 1024;

    /** The token, or why there is none. */
    public sealed interface Parsed {
        record Token(String token) implements Parsed {}

        record Refused(AuthFailure cause, String detail) implements Parsed {}
    }

    private ProxyAuthorization() {}

    public static Parsed parse(List<String> values) {
        if (values.isEmpty()) {
            return new Parsed.Refused(AuthFailure.MISSING, "no Proxy-Authorization header");
        }
        if (values.size() > 1) {
            return new Parsed.Refused(AuthFailure.MALFORMED, values.size() + " Proxy-Authorization headers");
        }
        String v = values.get(0).strip();
        if (v.length() > MAX_LENGTH) {
            return new Parsed.Refused(AuthFailure.MALFORMED, "Proxy-Authorization longer than " + MAX_LENGTH);
        }
        int space = v.indexOf(' ');
        if (space <= 0) {
            return new Parsed.Refused(AuthFailure.MALFORMED, "Proxy-Authorization is not \"SCHEME credentials\"");
        }
        String scheme = v.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = v.substring(space + 1).strip();
        return switch (scheme) {
            case "bearer" -> token(credentials);
            case "basic" -> basic(credentials);
            default -> new Parsed.Refused(AuthFailure.MALFORMED,
                    "Proxy-Authorization scheme must be Bearer or Basic");
        };
    }

    private static Parsed basic(String credentials) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(credentials);
        } catch (IllegalArgumentException e) {
            return new Parsed.Refused(AuthFailure.MALFORMED, "Basic credentials are not base64");
        }
        String userPass = new String(decoded, StandardCharsets.UTF_8);
        int colon = userPass.indexOf(':');
        if (colon < 0) {
            return new Parsed.Refused(AuthFailure.MALFORMED, "Basic credentials are not user:token");
        }
        return token(userPass.substring(colon + 1));
    }

    /** A compact JWS is three base64url parts; anything else is refused before any parser sees it. */
    private static Parsed token(String t) {
        if (t.isEmpty()) {
            return new Parsed.Refused(AuthFailure.MALFORMED, "empty token");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '.';
            if (!ok) {
                return new Parsed.Refused(AuthFailure.MALFORMED, "token has a character outside base64url and '.'");
            }
        }
        return new Parsed.Token(t);
    }
}
