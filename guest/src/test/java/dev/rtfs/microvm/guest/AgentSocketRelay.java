package dev.rtfs.microvm.guest;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sits between QEMU's control chardev ({@code front}) and the host's control server ({@code back}) and pipes bytes
 * both ways, so a test can break QEMU's connection while the same server keeps running: {@link #breakFor} drops
 * both ends and removes the socket, so QEMU's reconnect attempts fail until it listens again.
 */
final class AgentSocketRelay implements AutoCloseable {
    private final Path front;
    private final Path back;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel listener;
    private volatile boolean closed;

    private AgentSocketRelay(Path front, Path back) {
        this.front = front;
        this.back = back;
    }

    static AgentSocketRelay start(Path front, Path back) throws IOException {
        AgentSocketRelay r = new AgentSocketRelay(front, back);
        r.listen();
        return r;
    }

    private synchronized void listen() throws IOException {
        if (closed) return;
        Files.deleteIfExists(front);
        ServerSocketChannel l = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        l.bind(UnixDomainSocketAddress.of(front));
        listener = l;
        Thread.ofVirtual().name("relay-accept").start(() -> accept(l));
    }

    private void accept(ServerSocketChannel l) {
        while (true) {
            SocketChannel qemu;
            try {
                qemu = l.accept();
            } catch (IOException e) {
                return; // closed by breakFor or close
            }
            try {
                SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(back));
                open.add(qemu);
                open.add(host);
                Thread.ofVirtual().name("relay-up").start(() -> pipe(qemu, host));
                Thread.ofVirtual().name("relay-down").start(() -> pipe(host, qemu));
            } catch (IOException e) {
                quietly(qemu); // no server behind us right now: QEMU will try again
            }
        }
    }

    private void pipe(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) to.write(buf);
                buf.clear();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            quietly(from);
            quietly(to);
        }
    }

    /** Drops every connection and stops listening for {@code downtime}. */
    synchronized void breakFor(Duration downtime) throws IOException {
        listener.close();
        Files.deleteIfExists(front);
        for (SocketChannel c : open) quietly(c);
        open.clear();
        Thread.ofVirtual().name("relay-restart").start(() -> {
            try {
                Thread.sleep(downtime);
                listen();
            } catch (InterruptedException | IOException e) {
                // the test is ending
            }
        });
    }

    private static void quietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (listener != null) listener.close();
        Files.deleteIfExists(front);
        for (SocketChannel c : open) quietly(c);
    }
}
