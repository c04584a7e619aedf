package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a refused request: the reason's status, {@code X-Egress-Denied} (or {@code X-Egress-Error} for an
 * origin's fault) with the reason code, a one-line text body, and {@code Connection: close}; a 407 also carries the
 * {@code Proxy-Authenticate} challenge.
 */
final class DenialResponse {

    static final String DENIED_HEADER = "X-Egress-Denied";
    static final String ERROR_HEADER = "X-Egress-Error";
    /** The challenge of a 407: a shared listener wants a ServiceAccount token as a Bearer credential. */
    static final String PROXY_AUTHENTICATE = "Bearer realm=\"rtfs-egress-proxy\"";

    private DenialResponse() {
    }

    /** {@code rules} may be null (refused before any were found); with them, 429 carries their Retry-After. */
    static FullHttpResponse of(Reason reason, String detail, EffectiveRules rules) {
        byte[] text = (reason.code() + ": " + detail + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reason.status()), Unpooled.wrappedBuffer(text));
        r.headers().set(reason.isUpstreamFault() ? ERROR_HEADER : DENIED_HEADER, headerValue(reason, detail));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (reason == Reason.PROXY_AUTH) {
            r.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, PROXY_AUTHENTICATE);
        }
        if (reason == Reason.RATE_LIMITED && rules != null) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, rules.retryAfterSeconds());
        }
        return r;
    }

    /** The reason code; for upstream TLS also the failed check, which leads its detail ("pin-mismatch: ..."). */
    static String headerValue(Reason reason, String detail) {
        if (reason == Reason.UPSTREAM_TLS) {
            int colon = detail.indexOf(':');
            return reason.code() + ": " + (colon > 0 ? detail.substring(0, colon) : detail);
        }
        return reason.code();
    }
}
