package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.observe.DecisionSink;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans each decision out to every sink and to SLF4J; a failing sink is logged, never propagated to traffic. The
 * SLF4J line (the access log) is formatted and written by one writer thread, in order, so an event loop never
 * waits on the log file: a write per request there was measurable in tail latency. The writer is never woken per
 * record: it drains what is queued in batches and, when nothing is, sleeps {@link #IDLE} (a wake-up per request
 * cost a futex call and two context switches, a tenth of the proxy's CPU at a few thousand requests a second), so
 * a line reaches the log at most that long after its decision. If the writer falls more than {@link #QUEUE} lines
 * behind, lines are dropped and counted (said in the log) rather than stalling traffic; the sinks (ring buffer,
 * metrics, causal chain) get every record either way.
 */
public final class DecisionLog implements DecisionSink, AutoCloseable {

    static final int QUEUE = 65_536;
    static final Duration IDLE = Duration.ofMillis(20);
    private static final int BATCH = 1024;

    private static final Logger LOG = LoggerFactory.getLogger("dev.rtfs.microvm.egresspolicy.decision");

    private final List<DecisionSink> sinks;
    // Lock-free, bounded by the counter: offering never signals a waiting consumer (there is none).
    private final Queue<DecisionRecord> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    public DecisionLog(List<DecisionSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.writer = Thread.ofPlatform().daemon().name("egress-decision-log").start(this::write);
    }

    @Override
    public void accept(DecisionRecord record) {
        if (LOG.isInfoEnabled()) {
            if (queued.incrementAndGet() <= QUEUE) {
                lines.offer(record);
            } else {
                queued.decrementAndGet();
                dropped.incrementAndGet();
            }
        }
        for (DecisionSink s : sinks) {
            try {
                s.accept(record);
            } catch (RuntimeException e) {
                LOG.warn("decision sink {} failed: {}", s, e.toString());
            }
        }
    }

    private void write() {
        while (true) {
            boolean stopping = closed; // read before draining: what was queued before close() is written
            int n = 0;
            for (DecisionRecord r; n < BATCH && (r = lines.poll()) != null; n++) {
                queued.decrementAndGet();
                LOG.info(r.toLogLine());
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                LOG.warn("{} decision lines dropped: the log could not keep up", lost);
            }
            if (n == 0) {
                if (stopping) {
                    return;
                }
                LockSupport.parkNanos(IDLE.toNanos()); // close() unparks
            }
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
