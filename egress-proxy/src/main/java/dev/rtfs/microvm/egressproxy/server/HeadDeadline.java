package dev.rtfs.microvm.egressproxy.server;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The header timeout of one client connection: a head (and then its body, or a CONNECT's ClientHello) must arrive
 * within it. It also counts the raw bytes seen since it was armed, so an expiry can tell a slow head, which is
 * refused and recorded, from an idle kept-alive connection, which just closes.
 */
final class HeadDeadline {

    private final EventLoop loop;
    private final Duration timeout;
    private final Runnable onExpiry;
    private ScheduledFuture<?> timer;
    private long rawBytes;

    HeadDeadline(EventLoop loop, Duration timeout, Runnable onExpiry) {
        this.loop = loop;
        this.timeout = timeout;
        this.onExpiry = onExpiry;
    }

    /** Starts a fresh deadline and a fresh byte count. */
    void arm() {
        cancel();
        rawBytes = 0;
        timer = loop.schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts a fresh deadline, keeping the bytes counted so far (a body after its head). */
    void rearmKeepingCount() {
        long seen = rawBytes;
        arm();
        rawBytes = seen;
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    void count(long bytes) {
        rawBytes += bytes;
    }

    void resetCount() {
        rawBytes = 0;
    }

    /** True when no byte arrived since the deadline was armed (or the count was reset). */
    boolean idle() {
        return rawBytes == 0;
    }

    Duration timeout() {
        return timeout;
    }

    private void expire() {
        timer = null;
        onExpiry.run();
    }
}
