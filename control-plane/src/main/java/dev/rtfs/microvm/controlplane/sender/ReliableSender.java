package dev.rtfs.microvm.controlplane.sender;

import dev.rtfs.microvm.controlplane.chain.CanonicalJson;
import dev.rtfs.microvm.controlplane.protocol.Ack;
import dev.rtfs.microvm.controlplane.protocol.Decoded;
import dev.rtfs.microvm.controlplane.protocol.ErrorReply;
import dev.rtfs.microvm.controlplane.protocol.Event;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.HostMessage;
import dev.rtfs.microvm.controlplane.protocol.LineReader;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.protocol.ReadLine;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Sends events reliably over any byte-stream connection: numbers them per (agent, boot), keeps each one in a
 * bounded {@link OutboundBuffer} until the receiver acknowledges it as durable, and after every (re)connect
 * resends whatever the receiver's {@code welcome} says it does not have. {@link #send} blocks while the buffer is
 * full, so an outage slows the producer down instead of dropping events. Used by anything that streams into a
 * causal chain (supervisor, proxy, test guests); the reference guest agent follows the same rule in its outbox.
 */
public final class ReliableSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReliableSender.class);
    private static final int WRITE_BATCH = 256;

    /** Opens a fresh connection to the receiver (a Unix socket, a vsock handshake, an in-memory pipe...). */
    @FunctionalInterface
    public interface Connector {
        ByteChannel connect() throws IOException;
    }

    public record Options(int memoryFrames, long maxFrames, Path spillFile, Duration retryMin, Duration retryMax) {
        public static Options defaults(Path spillFile) {
            return new Options(4096, 1_000_000, spillFile, Duration.ofMillis(20), Duration.ofSeconds(1));
        }
    }

    private final String agentId;
    private final String bootId;
    private final Connector connector;
    private final Options options;
    private final Consumer<HostMessage> inbound;
    private final MessageCodec codec = new MessageCodec();
    private final OutboundBuffer buffer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failedConnects = new AtomicLong();
    private long lastAcked;
    private long cursor;
    private boolean broken;
    private volatile boolean closed;
    private volatile ByteChannel current;
    private Thread link;

    public ReliableSender(String agentId, String bootId, Connector connector, Options options,
                          Consumer<HostMessage> inbound) {
        this.agentId = agentId;
        this.bootId = bootId;
        this.connector = connector;
        this.options = options;
        this.inbound = inbound;
        this.buffer = new OutboundBuffer(options.memoryFrames(), options.maxFrames(), options.spillFile());
    }

    public synchronized ReliableSender start() {
        if (link == null) link = Thread.ofVirtual().name("sender-" + agentId).start(this::linkLoop);
        return this;
    }

    /**
     * Buffers one event and returns its seq; blocks while the buffer is full. Data the chain cannot hold (NaN,
     * infinities) or a frame over 64 KiB is refused here with {@link IllegalArgumentException}, never sent.
     */
    public long send(String kind, String step, JsonNode data) throws InterruptedException, IOException {
        JsonNode checked = CanonicalJson.normalize(data);
        lock.lockInterruptibly();
        try {
            while (buffer.isFull() && !closed) changed.await();
            if (closed) throw new IOException("sender closed");
            long seq = buffer.nextSeq();
            buffer.add(codec.encode(new Event(seq, kind, step, checked)));
            changed.signalAll();
            return seq;
        } finally {
            lock.unlock();
        }
    }

    /** Highest seq the receiver acknowledged as durable. */
    public long lastAcked() {
        lock.lock();
        try {
            return lastAcked;
        } finally {
            lock.unlock();
        }
    }

    public boolean awaitAcked(long seq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (lastAcked < seq) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) return false;
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public long buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    public long spilled() {
        lock.lock();
        try {
            return buffer.spilled();
        } finally {
            lock.unlock();
        }
    }

    public long connects() {
        return connects.get();
    }

    public long failedConnects() {
        return failedConnects.get();
    }

    private void linkLoop() {
        Duration backoff = options.retryMin();
        while (!closed) {
            ByteChannel channel;
            try {
                channel = connector.connect();
            } catch (IOException e) {
                failedConnects.incrementAndGet();
                LOG.debug("sender {}: connect failed ({}); retry in {} ms", agentId, e.getMessage(), backoff.toMillis());
                if (!pause(backoff)) return;
                backoff = backoff.multipliedBy(2).compareTo(options.retryMax()) > 0 ? options.retryMax() : backoff.multipliedBy(2);
                continue;
            }
            backoff = options.retryMin();
            connects.incrementAndGet();
            current = channel;
            try {
                session(channel);
            } catch (IOException e) {
                LOG.debug("sender {}: connection lost ({})", agentId, e.toString());
            } catch (InterruptedException e) {
                return;
            } finally {
                current = null;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // reconnecting anyway
                }
            }
        }
    }

    private void session(ByteChannel channel) throws IOException, InterruptedException {
        long acked = lastAcked();
        write(channel, List.of(codec.encode(new Hello(agentId, bootId, acked))));
        LineReader reader = new LineReader(channel, MessageCodec.MAX_LINE_BYTES);
        long lastDurable = welcome(reader);
        lock.lock();
        try {
            long sendable = buffer.nextSeq() - 1;
            if (lastDurable > sendable) {
                LOG.error("sender {}/{}: receiver claims seq {} durable but only {} were sent; boot id reused?",
                        agentId, bootId, lastDurable, sendable);
                lastDurable = sendable;
            }
            acknowledge(lastDurable);
            cursor = Math.max(buffer.firstSeq(), lastDurable + 1);
            broken = false;
        } finally {
            lock.unlock();
        }
        Thread acks = Thread.ofVirtual().name("sender-acks-" + agentId).start(() -> readLoop(reader));
        try {
            writeLoop(channel);
        } finally {
            acks.interrupt();
        }
    }

    private long welcome(LineReader reader) throws IOException {
        while (true) {
            ReadLine next = reader.next();
            if (!(next instanceof ReadLine.Line line)) throw new IOException("connection ended before welcome");
            switch (codec.decodeHost(line.bytes())) {
                case Decoded.Accepted<HostMessage>(Welcome w) -> {
                    return w.lastDurableSeq();
                }
                case Decoded.Accepted<HostMessage>(ErrorReply e) -> throw new IOException("hello refused: " + e.code() + ": " + e.message());
                case Decoded.Accepted<HostMessage> other -> inbound.accept(other.message());
                case Decoded.Rejected<HostMessage> r -> throw new IOException("bad frame from receiver: " + r.detail());
            }
        }
    }

    private void writeLoop(ByteChannel channel) throws IOException, InterruptedException {
        while (true) {
            List<byte[]> frames = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && !broken && cursor >= buffer.nextSeq()) changed.await();
                if (closed || broken) return;
                cursor = Math.max(cursor, buffer.firstSeq());
                long end = Math.min(buffer.nextSeq(), cursor + WRITE_BATCH);
                for (long s = cursor; s < end; s++) frames.add(buffer.get(s));
                cursor = end;
            } finally {
                lock.unlock();
            }
            write(channel, frames);
        }
    }

    private void readLoop(LineReader reader) {
        try {
            while (true) {
                ReadLine next = reader.next();
                if (!(next instanceof ReadLine.Line line)) break;
                switch (codec.decodeHost(line.bytes())) {
                    case Decoded.Accepted<HostMessage>(Ack a) -> {
                        lock.lock();
                        try {
                            acknowledge(Math.min(a.seq(), cursor - 1));
                        } finally {
                            lock.unlock();
                        }
                    }
                    case Decoded.Accepted<HostMessage>(ErrorReply e) ->
                            LOG.warn("sender {}: receiver rejected a frame: {}: {}", agentId, e.code(), e.message());
                    case Decoded.Accepted<HostMessage> other -> inbound.accept(other.message());
                    case Decoded.Rejected<HostMessage> r -> LOG.warn("sender {}: bad frame from receiver: {}", agentId, r.detail());
                }
            }
        } catch (IOException e) {
            LOG.debug("sender {}: read ended ({})", agentId, e.toString());
        } finally {
            lock.lock();
            try {
                broken = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Caller holds the lock. */
    private void acknowledge(long seq) throws IOException {
        if (seq <= lastAcked) return;
        lastAcked = seq;
        buffer.ackUpTo(seq);
        changed.signalAll();
    }

    private boolean pause(Duration d) {
        lock.lock();
        try {
            if (!closed) changed.await(d.toNanos(), TimeUnit.NANOSECONDS);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static void write(ByteChannel channel, List<byte[]> frames) throws IOException {
        int total = 0;
        for (byte[] f : frames) total += f.length;
        ByteBuffer buf = ByteBuffer.allocate(total);
        for (byte[] f : frames) buf.put(f);
        buf.flip();
        while (buf.hasRemaining()) channel.write(buf);
    }

    /** Stops sending; unacknowledged events are dropped with the buffer (call {@link #awaitAcked} first). */
    @Override
    public void close() throws IOException {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        ByteChannel c = current;
        if (c != null) c.close();
        Thread t = link;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            buffer.close();
        } finally {
            lock.unlock();
        }
    }
}
