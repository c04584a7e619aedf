package dev.rtfs.microvm.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.protocol.Decoded;
import dev.rtfs.microvm.controlplane.protocol.GuestMessage;
import dev.rtfs.microvm.controlplane.protocol.HostMessage;
import dev.rtfs.microvm.controlplane.protocol.LineReader;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.protocol.ReadLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A scripted guest over any byte channel: writes frames (or raw bytes) and queues every host frame it reads. */
public final class TestGuest implements AutoCloseable {
    private static final HostMessage EOF = new dev.rtfs.microvm.controlplane.protocol.Shutdown("<eof>");
    private final ByteChannel channel;
    private final MessageCodec codec = new MessageCodec();
    private final BlockingQueue<HostMessage> inbox = new LinkedBlockingQueue<>();

    public TestGuest(ByteChannel channel) {
        this.channel = channel;
        Thread.ofVirtual().start(() -> {
            try {
                LineReader r = new LineReader(channel, MessageCodec.MAX_LINE_BYTES);
                while (r.next() instanceof ReadLine.Line line) {
                    if (codec.decodeHost(line.bytes()) instanceof Decoded.Accepted<HostMessage> a) inbox.add(a.message());
                    else throw new AssertionError("host sent an invalid frame: " + new String(line.bytes()));
                }
            } catch (IOException ignored) {
                // closed
            } finally {
                inbox.add(EOF);
            }
        });
    }

    public TestGuest send(GuestMessage m) throws IOException {
        return raw(codec.encode(m));
    }

    public TestGuest raw(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) channel.write(b);
        return this;
    }

    /** The next host frame; fails after 10 s or when the connection closed. */
    public HostMessage next() throws InterruptedException {
        HostMessage m = inbox.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("host frame within 10 s").isNotNull();
        assertThat(m).as("connection still open").isNotSameAs(EOF);
        return m;
    }

    @SuppressWarnings("unchecked")
    public <T extends HostMessage> T next(Class<T> type) throws InterruptedException {
        HostMessage m = next();
        assertThat(m).isInstanceOf(type);
        return (T) m;
    }

    /** True once the host closed the connection (draining frames sent before). */
    public boolean closedByHost() throws InterruptedException {
        while (true) {
            HostMessage m = inbox.poll(10, TimeUnit.SECONDS);
            if (m == null) return false;
            if (m == EOF) return true;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
