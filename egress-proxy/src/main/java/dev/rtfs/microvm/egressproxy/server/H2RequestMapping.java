package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules an HTTP/2 request of an intercepted tunnel passes before Netty converts it to the HTTP/1.1 form the
 * rest of the proxy checks: the guest's raw header block is judged here, so nothing the conversion adds or merges
 * can hide what it sent. Refused: a {@code :method} CONNECT (plain or extended, {@code :protocol}), a
 * {@code :scheme} other than https, a {@code :path} not in origin form, unknown or repeated pseudo-headers, an
 * {@code :authority} or Host naming another host than the tunnel's (no domain fronting), the connection-specific
 * headers of RFC 9113 §8.2.2 (TE other than "trailers" included) and any {@code x-http2-*} header (the names Netty's
 * conversion uses for pseudo-headers: a guest must not be able to forge them).
 */
final class H2RequestMapping {

    private static final String EXTENSION_PREFIX = "x-http2-";
    private static final Set<String> PSEUDO = Set.of(":method", ":scheme", ":path", ":authority");
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade");

    /** A refused h2 request head, carried to {@link FrontendHandler} as the failed decode of its request. */
    static final class Refused extends Exception {
        private final transient Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.detail(), null, false, false);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }
    }

    private H2RequestMapping() {
    }

    /** The refusal for the first header block of a stream; empty when it may be converted and decided. */
    static Optional<Refusal> check(Http2Headers h, InterceptedOrigin origin) {
        List<String> pseudo = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> e : h) {
            String name = e.getKey().toString().toLowerCase(Locale.ROOT);
            String value = e.getValue().toString();
            if (name.startsWith(":")) {
                if (!PSEUDO.contains(name)) {
                    return bad("pseudo-header " + clip(name) + " not allowed");
                }
                if (pseudo.contains(name)) {
                    return bad("repeated pseudo-header " + name);
                }
                pseudo.add(name);
                continue;
            }
            if (name.startsWith(EXTENSION_PREFIX)) {
                return bad("header " + clip(name) + " is reserved by the proxy");
            }
            if (CONNECTION_SPECIFIC.contains(name)) {
                return bad("connection-specific header " + name + " in an HTTP/2 request");
            }
            if (name.equals("te") && !value.trim().equalsIgnoreCase("trailers")) {
                return bad("TE other than \"trailers\" in an HTTP/2 request");
            }
            if (name.equals("host") && !origin.names(value)) {
                return Optional.of(new Refusal(Reason.SNI_MISMATCH,
                        "Host \"" + clip(value) + "\" != intercepted host " + origin.host()));
            }
        }
        CharSequence method = h.method();
        if (method == null) {
            return bad("no :method");
        }
        if ("CONNECT".contentEquals(method)) {
            return bad("CONNECT inside an intercepted tunnel");
        }
        CharSequence scheme = h.scheme();
        if (scheme == null || !"https".contentEquals(scheme)) {
            return bad(":scheme must be https inside an intercepted tunnel");
        }
        CharSequence path = h.path();
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return bad("an intercepted request needs an origin-form :path (/path)");
        }
        CharSequence authority = h.authority();
        if (authority != null && !origin.names(authority.toString())) {
            return Optional.of(new Refusal(Reason.SNI_MISMATCH,
                    ":authority \"" + clip(authority.toString()) + "\" != intercepted host " + origin.host()));
        }
        return Optional.empty();
    }

    /**
     * Removes what the h2 to HTTP/1.1 conversion added for itself ({@link HttpConversionUtil.ExtensionHeaderNames}):
     * they describe the guest's stream, not its request, and must reach neither the origin nor a record.
     */
    static void stripConversionHeaders(HttpHeaders headers) {
        for (HttpConversionUtil.ExtensionHeaderNames n : HttpConversionUtil.ExtensionHeaderNames.values()) {
            headers.remove(n.text());
        }
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().toLowerCase(Locale.ROOT).startsWith(EXTENSION_PREFIX)) {
                left.add(e.getKey());
            }
        }
        left.forEach(headers::remove);
    }

    private static Optional<Refusal> bad(String detail) {
        return Optional.of(new Refusal(Reason.BAD_REQUEST, detail));
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
