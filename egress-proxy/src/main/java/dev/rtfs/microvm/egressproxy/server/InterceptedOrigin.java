package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egresspolicy.decision.TargetParser;
import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The origin of an intercepted tunnel, fixed by its CONNECT: {@code host} the decided (normalized) name, {@code port}
 * the CONNECT port. Every request decrypted from the tunnel goes to it over TLS, whatever it names.
 */
record InterceptedOrigin(String host, int port) {

    /**
     * The target of a decrypted request: origin-form ({@code /path?q}) only, and a Host header, if any, naming the
     * tunnel's host (no domain fronting: the allowed name is the one the SNI and the CONNECT checked).
     */
    TargetParser.Result target(HttpRequest req) {
        if (req.method().equals(HttpMethod.CONNECT)) {
            return new TargetParser.Rejected(Reason.BAD_REQUEST, "CONNECT inside an intercepted tunnel");
        }
        String uri = req.uri();
        if (!uri.startsWith("/")) {
            return new TargetParser.Rejected(Reason.BAD_REQUEST,
                    "an intercepted request needs an origin-form target (/path), not \"" + clip(uri) + "\"");
        }
        String hostHeader = req.headers().get(HttpHeaderNames.HOST);
        if (hostHeader != null) {
            if (!names(hostHeader)) {
                return new TargetParser.Rejected(Reason.SNI_MISMATCH,
                        "Host \"" + clip(hostHeader) + "\" != intercepted host " + host);
            }
        }
        return new TargetParser.Parsed(host, port, uri);
    }

    /** True when {@code authority} (a Host header or an h2 {@code :authority}, port optional) names this host. */
    boolean names(String authority) {
        String name = hostOnly(authority.trim());
        return HostNormalizer.normalize(name) instanceof NormalizedHost.Name n && n.ascii().equals(host);
    }

    private static String hostOnly(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end > 0 ? authority.substring(1, end) : authority;
        }
        int colon = authority.lastIndexOf(':');
        return colon >= 0 ? authority.substring(0, colon) : authority;
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
