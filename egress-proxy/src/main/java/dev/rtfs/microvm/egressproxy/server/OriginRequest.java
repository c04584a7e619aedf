package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.secret.HeldSecrets;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * The request the origin receives for an allowed plain-HTTP request: origin-form target, the guest's headers less
 * the hop-by-hop ones, a Host of the name that was decided on (normalized, whatever spelling or Host header the
 * guest sent), and the whole body framed by Content-Length. Headers the proxy injects (an intercepted request to
 * a domain with {@code inject_headers}) replace any the guest sent under the same name.
 */
final class OriginRequest {

    private OriginRequest() {
    }

    /** {@code body} becomes the request's content (its reference passes to the result). */
    static FullHttpRequest of(HttpRequest guest, String decidedHost, int port, String pathAndQuery, ByteBuf body) {
        return of(guest, decidedHost, port, 80, pathAndQuery, body);
    }

    /** {@code defaultPort}: the scheme's port, left out of the Host header (80 for http, 443 for https). */
    static FullHttpRequest of(HttpRequest guest, String decidedHost, int port, int defaultPort, String pathAndQuery,
            ByteBuf body) {
        return of(guest, decidedHost, port, defaultPort, pathAndQuery, body, List.of());
    }

    /** {@code inject}: headers set last, each replacing every guest header of its name. */
    static FullHttpRequest of(HttpRequest guest, String decidedHost, int port, int defaultPort, String pathAndQuery,
            ByteBuf body, List<HeldSecrets.Header> inject) {
        String host = decidedHost.indexOf(':') >= 0 ? "[" + decidedHost + "]" : decidedHost;
        String authority = port == defaultPort ? host : host + ":" + port;
        DefaultFullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, guest.method(), pathAndQuery,
                body);
        HttpHeaders h = out.headers();
        h.set(guest.headers());
        HopByHop.strip(h, guest.headers());
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        h.remove(HttpHeaderNames.EXPECT);
        h.set(HttpHeaderNames.HOST, authority);
        if (out.content().isReadable() || HttpUtil.isContentLengthSet(guest)
                || guest.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            h.set(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
        }
        for (HeldSecrets.Header i : inject) {
            h.set(i.name(), i.value());
        }
        return out;
    }
}
