package dev.rtfs.microvm.egressproxy.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a listener's (server channel's) pipeline: when accepting fails with an I/O error (out of file descriptors),
 * stops reading the listen socket for an {@link AcceptBackoff} pause instead of retrying at once, and logs at most
 * once every ten seconds. Netty's own acceptor would pause a fixed second and log every failure; this handler consumes
 * the error first.
 */
public final class AcceptBackoffHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AcceptBackoffHandler.class);

    private final String agentId;
    private final AcceptBackoff backoff = new AcceptBackoff();
    private boolean paused;
    private long failuresSinceLog;
    private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;

    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    public AcceptBackoffHandler(String agentId) {
        this.agentId = agentId;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        backoff.onSuccess();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        long pause = backoff.onFailure();
        failuresSinceLog++;
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_EVERY_NANOS) {
            LOG.warn("agent {}: accept failed ({}), {} failure(s) in the last {} s; pausing the listener {} ms",
                    agentId, cause.getMessage(), failuresSinceLog, (now - lastLogNanos) / 1_000_000_000L, pause);
            lastLogNanos = now;
            failuresSinceLog = 0;
        }
        if (paused) {
            return;
        }
        paused = true;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> {
            paused = false;
            if (ctx.channel().isOpen()) {
                ctx.channel().config().setAutoRead(true);
            }
        }, pause, TimeUnit.MILLISECONDS);
    }

    /** Whether the listener is paused right now (tests). */
    boolean paused() {
        return paused;
    }
}
