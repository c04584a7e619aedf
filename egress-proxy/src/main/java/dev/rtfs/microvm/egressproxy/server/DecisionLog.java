package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.observe.DecisionSink;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans each decision out to every sink and to SLF4J; a failing sink is logged, never propagated to traffic. The
 * SLF4J line (the access log) is formatted and written by one writer thread, in order, so an event loop never
 * waits on the log file: a write per request there was measurable in tail latency. If the writer falls more than
 * {@link #QUEUE} lines behind, lines are dropped and counted (said in the log) rather than stalling traffic; the
 * sinks (ring buffer, metrics, causal chain) get every record either way.
 */
public final class DecisionLog implements DecisionSink, AutoCloseable {

    static final int QUEUE = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger("dev.rtfs.microvm.egresspolicy.decision");

    private final List<DecisionSink> sinks;
    private final BlockingQueue<DecisionRecord> lines = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    public DecisionLog(List<DecisionSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.writer = Thread.ofPlatform().daemon().name("egress-decision-log").start(this::write);
    }

    @Override
    public void accept(DecisionRecord record) {
        if (LOG.isInfoEnabled() && !lines.offer(record)) {
            dropped.incrementAndGet();
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
        try {
            while (!closed || !lines.isEmpty()) {
                DecisionRecord r = lines.poll(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    LOG.info(r.toLogLine());
                }
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    LOG.warn("{} decision lines dropped: the log could not keep up", lost);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
