package dev.rtfs.microvm.controlplane.server;

import dev.rtfs.microvm.controlplane.chain.Appended;
import dev.rtfs.microvm.controlplane.chain.ChainEntry;
import dev.rtfs.microvm.controlplane.chain.Origin;
import dev.rtfs.microvm.controlplane.protocol.Ack;
import dev.rtfs.microvm.controlplane.protocol.CacheGet;
import dev.rtfs.microvm.controlplane.protocol.CacheHit;
import dev.rtfs.microvm.controlplane.protocol.CacheMiss;
import dev.rtfs.microvm.controlplane.protocol.CachePut;
import dev.rtfs.microvm.controlplane.protocol.CacheStored;
import dev.rtfs.microvm.controlplane.protocol.ChunkedResult;
import dev.rtfs.microvm.controlplane.protocol.Decoded;
import dev.rtfs.microvm.controlplane.protocol.ErrorReply;
import dev.rtfs.microvm.controlplane.protocol.Event;
import dev.rtfs.microvm.controlplane.protocol.GuestMessage;
import dev.rtfs.microvm.controlplane.protocol.Health;
import dev.rtfs.microvm.controlplane.protocol.HealthStatus;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.HostMessage;
import dev.rtfs.microvm.controlplane.protocol.LineReader;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.protocol.Metrics;
import dev.rtfs.microvm.controlplane.protocol.MetricsReport;
import dev.rtfs.microvm.controlplane.protocol.ProtocolError;
import dev.rtfs.microvm.controlplane.protocol.ReadLine;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.protocol.ResultChunk;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One guest connection: reads frames, rejects bad ones with an {@code error} (closing after a burst), handles hello,
 * appends events to the chain and acknowledges them, from a separate acker thread, only once they are durable.
 */
final class GuestConnection {
    private static final Logger LOG = LoggerFactory.getLogger(GuestConnection.class);

    private final SocketChannel channel;
    private final ControlServer server;
    private final MessageCodec codec;
    private final AtomicLong durableSeq = new AtomicLong();
    private volatile boolean open = true;
    private volatile Thread acker;
    private long acceptedHere;
    private long rejectedHere;
    private int consecutiveBad;
    private AgentChannel agent;
    private String stream;
    private long expectedSeq;

    GuestConnection(SocketChannel channel, ControlServer server) {
        this.channel = channel;
        this.server = server;
        this.codec = server.codec();
    }

    boolean isOpen() {
        return open;
    }

    void serve() {
        try {
            LineReader reader = new LineReader(channel, MessageCodec.MAX_LINE_BYTES);
            while (open) {
                ReadLine next = reader.next();
                switch (next) {
                    case ReadLine.EndOfStream e -> {
                        return;
                    }
                    case ReadLine.Oversized o -> reject(ProtocolError.FRAME_TOO_LARGE,
                            "frame of " + o.bytes() + " bytes exceeds " + MessageCodec.MAX_LINE_BYTES);
                    case ReadLine.Truncated t -> {
                        reject(ProtocolError.TRUNCATED_FRAME, "stream ended inside a frame of " + t.bytes() + " bytes");
                        return;
                    }
                    case ReadLine.Line line -> {
                        switch (codec.decodeGuest(line.bytes())) {
                            case Decoded.Accepted<GuestMessage> a -> handle(a.message());
                            case Decoded.Rejected<GuestMessage> r -> reject(r.error(), r.detail());
                        }
                    }
                }
            }
        } catch (IOException e) {
            if (open) LOG.debug("control connection ended: {}", e.toString());
        } finally {
            close();
        }
    }

    private void handle(GuestMessage message) throws IOException {
        if (agent == null && !(message instanceof Hello)) {
            reject(ProtocolError.OUT_OF_ORDER, message.type() + " before hello");
            return;
        }
        switch (message) {
            case Hello h -> {
                if (!hello(h)) return;
            }
            case Event e -> {
                if (!event(e)) return;
            }
            case Result r -> {
                if (!agent.resolve(r)) {
                    reject(ProtocolError.INVALID_VALUE, "result for unknown or finished call_id '" + r.callId() + "'");
                    return;
                }
            }
            case ResultChunk c -> {
                var refusal = agent.chunk(c);
                if (refusal.isPresent()) {
                    reject(ProtocolError.INVALID_VALUE, refusal.get());
                    return;
                }
            }
            case ChunkedResult done -> {
                if (!agent.waiting(done.callId())) {
                    reject(ProtocolError.INVALID_VALUE, "result for unknown or finished call_id '" + done.callId() + "'");
                    return;
                }
                var refusal = agent.resolveChunked(done, codec.mapper());
                if (refusal.isPresent()) {
                    reject(ProtocolError.INVALID_VALUE, refusal.get());
                    return;
                }
            }
            case Health h -> send(new HealthStatus("ok", durableSeq.get()));
            case Metrics m -> {
                agent.metrics(m.values());
                send(new MetricsReport(acceptedHere + 1, rejectedHere, durableSeq.get()));
            }
            case CacheGet g -> send(server.cache().get(g.hash())
                    .<HostMessage>map(a -> new CacheHit(g.hash(), a)).orElse(new CacheMiss(g.hash())));
            case CachePut p -> {
                var refusal = server.cache().put(p.hash(), p.artifact());
                if (refusal.isPresent()) {
                    reject(ProtocolError.INVALID_VALUE, "cache_put refused: " + refusal.get().name().toLowerCase());
                    return;
                }
                send(new CacheStored(p.hash()));
            }
        }
        accepted();
    }

    /** False when the hello was rejected. */
    private boolean hello(Hello h) throws IOException {
        if (agent != null) {
            reject(ProtocolError.OUT_OF_ORDER, "second hello on one connection");
            return false;
        }
        String expected = server.options().expectedAgentId();
        if (expected != null && !expected.equals(h.agentId())) {
            reject(ProtocolError.INVALID_VALUE, "this socket belongs to agent '" + expected + "', not '" + h.agentId() + "'");
            return false;
        }
        stream = Origin.stream(h.agentId(), h.bootId());
        long lastDurable = server.chain().lastDurableOriginSeq(stream);
        if (h.lastAckedSeq() > lastDurable) {
            // The guest holds acks for events this chain does not have: the chain was replaced or rolled back.
            LOG.error("agent {} boot {}: guest reports seq {} acknowledged but the chain holds only up to {}",
                    h.agentId(), h.bootId(), h.lastAckedSeq(), lastDurable);
        }
        durableSeq.set(lastDurable);
        expectedSeq = lastDurable + 1;
        agent = server.agent(h.agentId());
        acker = Thread.ofVirtual().name("control-acker").start(this::ackLoop);
        send(new Welcome(lastDurable));
        agent.attached(this, h);
        return true;
    }

    /** False when the event was rejected. */
    private boolean event(Event e) throws IOException {
        if (e.seq() > expectedSeq) {
            reject(ProtocolError.OUT_OF_ORDER, "event seq " + e.seq() + " skips ahead; expected seq " + expectedSeq);
            return false;
        }
        // Duplicates go to the store too: it drops them, and completes them only once the original is durable.
        CompletableFuture<Appended> done = server.chain().append(
                new ChainEntry(e.kind(), agent.agentId(), agent.planId(), e.step(), e.data(), new Origin(stream, e.seq())));
        long seq = e.seq();
        if (done.isCompletedExceptionally() && done.exceptionNow() instanceof IllegalArgumentException bad) {
            reject(ProtocolError.INVALID_VALUE, "event: " + bad.getMessage()); // refused before queueing
            return false;
        }
        if (e.seq() == expectedSeq) expectedSeq++;
        done.whenComplete((a, failure) -> {
            if (failure != null) {
                LOG.warn("agent {}: event seq {} was not made durable ({}); closing the connection, the guest will resend",
                        agent.agentId(), seq, failure.getMessage());
                close();
                return;
            }
            durableSeq.accumulateAndGet(seq, Math::max);
            Thread t = acker;
            if (t != null) LockSupport.unpark(t);
        });
        return true;
    }

    /** Sends cumulative acks; coalesces whatever became durable since the last one. */
    private void ackLoop() {
        long sent = durableSeq.get();
        while (open) {
            long durable = durableSeq.get();
            if (durable > sent) {
                try {
                    send(new Ack(durable));
                    sent = durable;
                } catch (IOException e) {
                    close();
                    return;
                }
            } else {
                LockSupport.park(this);
            }
        }
    }

    private void accepted() {
        consecutiveBad = 0;
        acceptedHere++;
        server.counters().accepted();
    }

    private void reject(ProtocolError error, String detail) throws IOException {
        rejectedHere++;
        server.counters().rejected(error);
        send(new ErrorReply(error.code(), detail));
        if (++consecutiveBad >= server.options().maxConsecutiveBadFrames()) {
            server.counters().burstClose();
            LOG.warn("control connection closed after {} bad frames in a row (last: {})", consecutiveBad, detail);
            close();
        }
    }

    void send(HostMessage message) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(codec.encode(message));
        synchronized (this) {
            while (buf.hasRemaining()) channel.write(buf);
        }
    }

    void close() {
        if (!open) return;
        open = false;
        if (agent != null) agent.detached(this);
        Thread t = acker;
        if (t != null) LockSupport.unpark(t);
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        server.closed(this);
    }
}
