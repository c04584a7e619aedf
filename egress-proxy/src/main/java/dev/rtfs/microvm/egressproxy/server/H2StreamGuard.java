package dev.rtfs.microvm.egressproxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * One h2 stream of an intercepted tunnel, ahead of Netty's frame-to-HTTP/1.1 codec: judges the guest's raw header
 * block ({@link H2RequestMapping#check}). A refused head reaches {@link FrontendHandler} as a failed request
 * decode, so it gets the same answer (status and {@code X-Egress-Denied}) and its one record as any malformed
 * HTTP/1.1 head; the rest of that stream is dropped. Request trailers are refused the same way (the body is
 * complete only once they are judged, and nothing forwards them): a failed last body part, 400.
 */
final class H2StreamGuard extends ChannelInboundHandlerAdapter {

    private final InterceptedOrigin origin;
    private boolean headSeen;
    private boolean refused;

    H2StreamGuard(InterceptedOrigin origin) {
        this.origin = origin;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused && (msg instanceof Http2HeadersFrame || msg instanceof Http2DataFrame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof Http2HeadersFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (headSeen) {
            refused = true;
            LastHttpContent failed = new DefaultLastHttpContent();
            failed.setDecoderResult(DecoderResult.failure(
                    new IllegalArgumentException("request trailers are not accepted over HTTP/2")));
            ctx.fireChannelRead(failed);
            return;
        }
        headSeen = true;
        Optional<Refusal> bad = H2RequestMapping.check(frame.headers(), origin);
        if (bad.isEmpty()) {
            ctx.fireChannelRead(frame);
            return;
        }
        refused = true;
        HttpRequest failed = new DefaultHttpRequest(HttpVersion.HTTP_1_1, methodOf(frame.headers()), "/");
        failed.setDecoderResult(DecoderResult.failure(new H2RequestMapping.Refused(bad.get())));
        ctx.fireChannelRead(failed);
    }

    /** The refused request's method, for its record: the guest's when it is a valid token, else "-". */
    private static HttpMethod methodOf(Http2Headers h) {
        CharSequence m = h.method();
        if (m == null || m.isEmpty() || m.length() > 32) {
            return HttpMethod.valueOf("-");
        }
        try {
            return HttpMethod.valueOf(m.toString());
        } catch (IllegalArgumentException e) {
            return HttpMethod.valueOf("-");
        }
    }

    /**
     * Behind the codec: the conversion's own headers never go further ({@link H2RequestMapping}), and a stream
     * that was one header block (the codec's full request) arrives as a head and an empty end, as HTTP/1.1's
     * decoder delivers it.
     */
    static final class ConversionHeaders extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                H2RequestMapping.stripConversionHeaders(req.headers());
            }
            if (msg instanceof FullHttpRequest full) {
                HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(),
                        full.headers());
                ctx.fireChannelRead(head);
                ctx.fireChannelRead(new DefaultLastHttpContent(full.content()));
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
