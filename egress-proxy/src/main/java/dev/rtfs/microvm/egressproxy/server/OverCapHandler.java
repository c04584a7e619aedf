package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Outcome;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egresspolicy.decision.TargetParser;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline logic of a connection past its agent's {@code max_connections}: waits (briefly) for the
 * request head, answers {@code 503 too-many-connections} (a CONNECT too: no tunnel is opened) and closes. Every
 * such connection leaves one DENY record, including one that sends nothing.
 */
final class OverCapHandler extends ChannelInboundHandlerAdapter {

    /** An over-cap connection is not worth a full header timeout. */
    private static final long MAX_WAIT_MILLIS = 2000;

    private final ProxyContext px;
    private final String agentId;
    private final int cap;
    private final long startNanos = System.nanoTime();
    private ScheduledFuture<?> deadline;
    private boolean answered;

    OverCapHandler(ProxyContext px, String agentId, int cap) {
        this.px = px;
        this.agentId = agentId;
        this.cap = cap;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long wait = Math.min(MAX_WAIT_MILLIS, px.config().headerTimeout().toMillis());
        deadline = ctx.executor().schedule(() -> {
            if (!answered) {
                answered = true;
                record(px, agentId, "-", "-", 0, detail(cap) + "; no request head", startNanos);
                ctx.close();
            }
        }, wait, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (answered || !(msg instanceof HttpRequest req)) {
                return;
            }
            answered = true;
            deadline.cancel(false);
            String host = "-";
            int port = 0;
            if (!req.decoderResult().isFailure()) {
                TargetParser.Result t = req.method().equals(HttpMethod.CONNECT) ? TargetParser.connect(req.uri())
                        : TargetParser.absolute(req.uri());
                if (t instanceof TargetParser.Parsed p) {
                    host = p.rawHost();
                    port = p.port();
                }
            }
            record(px, agentId, req.method().name(), host, port, detail(cap), startNanos);
            ctx.writeAndFlush(response(cap)).addListener(ChannelFutureListener.CLOSE);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        if (!answered) {
            answered = true;
            record(px, agentId, "-", "-", 0, detail(cap) + "; closed by the client", startNanos);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    static String detail(int cap) {
        return "the agent has " + cap + " connections open (max_connections)";
    }

    static FullHttpResponse response(int cap) {
        Reason reason = Reason.TOO_MANY_CONNECTIONS;
        byte[] text = (reason.code() + ": " + detail(cap) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reason.status()), Unpooled.wrappedBuffer(text));
        r.headers().set(FrontendHandler.DENIED_HEADER, reason.code());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.length);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        r.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
        return r;
    }

    static void record(ProxyContext px, String agentId, String method, String host, int port, String detail,
            long startNanos) {
        Reason reason = Reason.TOO_MANY_CONNECTIONS;
        px.decisions().accept(new DecisionRecord(Instant.now(), agentId, Optional.empty(), method, host, port,
                Optional.empty(), Outcome.DENY.name(), reason.code(), reason.status(), detail, 0, 0,
                (System.nanoTime() - startNanos) / 1_000_000));
    }
}
