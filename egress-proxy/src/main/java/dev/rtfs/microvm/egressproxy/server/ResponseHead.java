package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What to do with an origin's response head: refuse it (malformed, or a declared length over the response cap),
 * skip it (1xx: the proxy removed Expect and Upgrade, so nothing informational is owed), or relay it as HTTP/1.1
 * without hop-by-hop headers and with the Connection the client connection will honour.
 */
sealed interface ResponseHead {

    record Refuse(Refusal refusal) implements ResponseHead {}

    record Skip() implements ResponseHead {}

    /** {@code head} carries no content; {@code clientKeepAlive} is false when only the close can end the body. */
    record Relay(HttpResponse head, int status, boolean upstreamKeepAlive, boolean clientKeepAlive)
            implements ResponseHead {}

    /** Plans {@code resp} (whose headers a relay rewrites in place) for a request of {@code method}. */
    static ResponseHead plan(HttpResponse resp, HttpMethod method, long maxResponseBytes, boolean clientKeepAlive) {
        if (resp.decoderResult().isFailure()) {
            return new Refuse(new Refusal(Reason.UPSTREAM_ERROR, "malformed upstream response"));
        }
        int code = resp.status().code();
        if (code >= 100 && code < 200) {
            return new Skip();
        }
        if (HttpUtil.isContentLengthSet(resp) && HttpUtil.getContentLength(resp, 0L) > maxResponseBytes) {
            return new Refuse(new Refusal(Reason.RESPONSE_TOO_LARGE, "Content-Length "
                    + HttpUtil.getContentLength(resp, 0L) + " > " + maxResponseBytes));
        }
        boolean upstreamKeepAlive = HttpUtil.isKeepAlive(resp);
        boolean framed = HttpUtil.isContentLengthSet(resp) || HttpUtil.isTransferEncodingChunked(resp)
                || code == 204 || code == 304 || method.equals(HttpMethod.HEAD);
        boolean keepAlive = clientKeepAlive && framed; // unframed: the body ends when the connection does
        HttpHeaders h = resp.headers();
        HttpHeaders copy = h.copy();
        HopByHop.strip(h, copy);
        h.set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        resp.setProtocolVersion(HttpVersion.HTTP_1_1);
        return new Relay(headOnly(resp), code, upstreamKeepAlive, keepAlive);
    }

    private static HttpResponse headOnly(HttpResponse resp) {
        if (resp instanceof FullHttpResponse) {
            // The content is delivered as the HttpContent part of the same object; send the head alone.
            return new DefaultHttpResponse(resp.protocolVersion(), resp.status(), resp.headers());
        }
        return resp;
    }
}
