package dev.rtfs.microvm.controlplane.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * In-process stand-in for Firecracker's vsock muxer on the host side (docs/vsock.md): it listens on {@code uds_path},
 * reads the request line "CONNECT PORT\n" byte by byte, and if a guest listens on PORT answers "OK HOSTPORT\n" and
 * hands the rest of the stream to that guest; if nobody listens it closes the connection. Misbehaving modes produce
 * garbage or silence. Every request line received is recorded (raw bytes) for the tests to compare.
 */
final class FakeFirecrackerVsock implements AutoCloseable {
    enum Mode { OK, NO_LISTENER, GARBAGE, SILENT, ENDLESS }

    /** What the "guest" does with an established connection. */
    interface Guest {
        void serve(SocketChannel channel, byte[] firstBytesAfterOk) throws Exception;
    }

    final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
    private final ServerSocketChannel server;
    private final Path udsPath;
    private volatile Mode mode;
    private final long guestPort;
    private final long hostPort;
    private final Guest guest;
    private final Thread acceptor;

    FakeFirecrackerVsock(Path udsPath, Mode mode, long guestPort, long hostPort, Guest guest) throws IOException {
        this.udsPath = udsPath;
        this.mode = mode;
        this.guestPort = guestPort;
        this.hostPort = hostPort;
        this.guest = guest;
        this.server = UnixSockets.listen(udsPath);
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /** Firecracker, when the guest connects to the host (CID 2) on PORT: dial {@code uds_path_PORT}, no preamble. */
    SocketChannel guestInitiated(long port) throws IOException {
        return UnixSockets.connect(Path.of(udsPath + "_" + port));
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                Thread.ofVirtual().start(() -> handle(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(SocketChannel c) {
        try (c) {
            ByteBuffer one = ByteBuffer.allocate(1);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            while (true) {
                one.clear();
                if (c.read(one) < 0) return;
                line.write(one.get(0));
                if (one.get(0) == '\n' || line.size() > 64) break;
            }
            byte[] request = line.toByteArray();
            requests.add(request);
            String text = new String(request, StandardCharsets.US_ASCII);
            switch (mode) {
                case NO_LISTENER -> { }
                case GARBAGE -> write(c, "ERR no such port\n");
                case ENDLESS -> write(c, "OK " + "9".repeat(100));
                case SILENT -> Thread.sleep(10_000);
                case OK -> {
                    if (!text.equals("CONNECT " + guestPort + "\n")) return; // Firecracker drops malformed requests
                    // The ack and the guest's first bytes may arrive in one read: the host must not over-consume.
                    byte[] greeting = guest == null ? new byte[0] : "{\"guest\":\"first\"}\n".getBytes(StandardCharsets.US_ASCII);
                    ByteBuffer out = ByteBuffer.allocate(64 + greeting.length);
                    out.put(("OK " + hostPort + "\n").getBytes(StandardCharsets.US_ASCII)).put(greeting).flip();
                    while (out.hasRemaining()) c.write(out);
                    if (guest != null) guest.serve(c, greeting);
                }
            }
        } catch (Exception ignored) {
            // connection ends
        }
    }

    private static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) c.write(b);
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        java.nio.file.Files.deleteIfExists(udsPath);
    }
}
