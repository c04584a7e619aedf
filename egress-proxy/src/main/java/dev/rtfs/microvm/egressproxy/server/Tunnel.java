package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A CONNECT tunnel once its ClientHello passed: a {@link Relay} per direction copies bytes until either side
 * closes, both sides are idle for the idle timeout, or one direction carries more than its byte cap (the request
 * cap upstream, the response cap downstream: inside TLS the proxy cannot scan, so volume is what it bounds).
 * Both channels live on one event loop, so the counts need no synchronisation.
 *
 * <p>Why copy rather than splice(2): Netty's epoll {@code spliceTo} drops the bytes still queued in the source
 * socket when the peer half-closes (it shuts the input on EPOLLRDHUP after one splice pass), which truncated 3 of 3
 * 1 GiB test transfers; and a native C splice relay moves no more than this copying relay on the 2-core reference
 * machine (see the egress-proxy README).
 */
final class Tunnel {

    /** How a tunnel ended: bytes sent upstream (ClientHello included) and received from upstream, and a cut if any. */
    record End(long bytesUp, long bytesDown, Optional<Cut> cut) {}

    /** A tunnel closed by the proxy because one direction went over its cap. */
    record Cut(Reason reason, String detail) {}

    enum Direction { UP, DOWN }

    private final Channel client;
    private final Channel upstream;
    private final long upCap;
    private final long downCap;
    private final Duration idleTimeout;
    private final Consumer<End> onEnd;

    private long up;
    private long down;
    private long lastTotal;
    private long lastActivity;
    private ScheduledFuture<?> idleWatch;
    private Cut cut;
    private boolean ended;

    Tunnel(Channel client, Channel upstream, long upCap, long downCap, Duration idleTimeout, Consumer<End> onEnd) {
        if (client.eventLoop() != upstream.eventLoop()) {
            throw new IllegalArgumentException("a tunnel's two channels share one event loop");
        }
        this.client = client;
        this.upstream = upstream;
        this.upCap = upCap;
        this.downCap = downCap;
        this.idleTimeout = idleTimeout;
        this.onEnd = onEnd;
    }

    /**
     * Starts relaying: {@code hello} and then {@code early} (bytes the client sent after it) go upstream first, in
     * order. The caller has removed its own handlers from the client pipeline and paused reading on both channels.
     */
    void start(ByteBuf hello, List<ByteBuf> early) {
        client.pipeline().addLast(new Relay(this, Direction.UP, upstream));
        upstream.pipeline().addLast(new Relay(this, Direction.DOWN, client));
        client.closeFuture().addListener(f -> end());
        upstream.closeFuture().addListener(f -> end());
        lastActivity = System.nanoTime();
        long period = Math.max(10, idleTimeout.toMillis() / 4);
        idleWatch = client.eventLoop().scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
        if (!carried(Direction.UP, hello.readableBytes())) {
            hello.release();
            early.forEach(ByteBuf::release);
            return;
        }
        upstream.write(hello, upstream.voidPromise());
        for (ByteBuf b : early) {
            if (!carried(Direction.UP, b.readableBytes())) {
                b.release();
            } else {
                upstream.write(b, upstream.voidPromise());
            }
        }
        upstream.flush();
        upstream.config().setAutoRead(true);
        client.config().setAutoRead(true);
    }

    /** Counts {@code bytes} more in direction {@code d}; false (and the tunnel cut) when that passes its cap. */
    boolean carried(Direction d, long bytes) {
        if (cut != null) {
            return false;
        }
        boolean over = d == Direction.UP ? (up += bytes) > upCap : (down += bytes) > downCap;
        if (over) {
            cut = d == Direction.UP
                    ? new Cut(Reason.REQUEST_TOO_LARGE, "tunnel sent more than " + upCap + " bytes upstream; cut")
                    : new Cut(Reason.RESPONSE_TOO_LARGE, "tunnel received more than " + downCap + " bytes; cut");
            client.close();
            upstream.close();
        }
        return !over;
    }

    private void checkIdle() {
        long total = up + down;
        long now = System.nanoTime();
        if (total != lastTotal) {
            lastTotal = total;
            lastActivity = now;
        } else if (now - lastActivity >= idleTimeout.toNanos()) {
            client.close();
            upstream.close();
        }
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        idleWatch.cancel(false);
        onEnd.accept(new End(up, down, Optional.ofNullable(cut)));
    }
}
