package dev.rtfs.microvm.egressproxy.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** Hop-by-hop headers (RFC 9110 7.6.1): they describe one connection, so the proxy never passes them on. */
final class HopByHop {

    private static final List<String> ALWAYS = List.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade");

    private HopByHop() {
    }

    /** Removes from {@code target} the fixed hop-by-hop set and every header {@code original}'s Connection names. */
    static void strip(HttpHeaders target, HttpHeaders original) {
        for (String c : original.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : c.split(",")) {
                String t = token.trim();
                if (!t.isEmpty()) {
                    target.remove(t);
                }
            }
        }
        ALWAYS.forEach(target::remove);
    }
}
