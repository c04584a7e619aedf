package dev.rtfs.microvm.controlplane.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Firecracker / Cloud Hypervisor "hybrid vsock": the guest's AF_VSOCK ports appear on the host as Unix sockets.
 * Host-initiated: connect to {@code uds_path}, send {@code CONNECT <port>\n}, read {@code OK <hostport>\n}, and the
 * same socket then carries the guest stream (the VMM closes it instead when nothing listens on the port).
 * Guest-initiated: the VMM connects to {@code <uds_path>_<port>}, where the host must already listen; no preamble.
 */
final class HybridVsock {
    /** "OK " + a u32 + "\n" fits easily; anything longer is not a handshake reply. */
    private static final int MAX_REPLY_BYTES = 32;
    private static final Pattern OK = Pattern.compile("OK ([0-9]{1,10})");

    private HybridVsock() {}

    /** The handshake request, exactly as the VMM expects it. */
    public static byte[] connectRequest(long port) {
        checkPort(port);
        return ("CONNECT " + port + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Where the host listens for guest-initiated connections to {@code port}. */
    public static Path guestInitiatedPath(Path udsPath, long port) throws IOException {
        checkPort(port);
        Path path = Path.of(udsPath + "_" + port);
        UnixSockets.checkPathLength(path);
        return path;
    }

    /** An established host-initiated connection and the host-side vsock port the VMM assigned. */
    public record Connection(SocketChannel channel, long hostPort) {}

    /**
     * Connects to the guest's {@code port} through the VMM socket. The reply is read one byte at a time so no byte of
     * the guest stream that follows it is consumed; the whole handshake is bounded by {@code timeout}.
     */
    public static Connection connect(Path udsPath, long port, Duration timeout) throws IOException {
        SocketChannel channel = UnixSockets.connect(udsPath);
        CountDownLatch done = new CountDownLatch(1);
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) channel.close();
            } catch (InterruptedException | IOException ignored) {
                // finished or closing anyway
            }
        });
        try {
            writeFully(channel, ByteBuffer.wrap(connectRequest(port)));
            long hostPort = readOk(channel, udsPath, port);
            done.countDown();
            return new Connection(channel, hostPort);
        } catch (IOException e) {
            channel.close();
            if (e instanceof VsockHandshakeException) throw e;
            throw new VsockHandshakeException("vsock handshake with " + udsPath + " for port " + port + " failed: "
                    + (done.getCount() > 0 && !channel.isOpen() ? "timed out after " + timeout.toMillis() + " ms" : e.getMessage()));
        } finally {
            done.countDown();
            watchdog.interrupt();
        }
    }

    /** Parses one reply line (without newline); returns the host port or throws naming what arrived. */
    public static long parseOk(String reply, Path udsPath, long port) throws VsockHandshakeException {
        Matcher m = OK.matcher(reply);
        if (!m.matches() || Long.parseLong(m.group(1)) > 0xFFFF_FFFFL) {
            throw new VsockHandshakeException("vsock " + udsPath + ": expected \"OK <port>\" after CONNECT " + port
                    + ", got \"" + printable(reply) + "\"");
        }
        return Long.parseLong(m.group(1));
    }

    private static long readOk(SocketChannel channel, Path udsPath, long port) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder reply = new StringBuilder();
        while (true) {
            one.clear();
            int n = channel.read(one);
            if (n < 0) {
                throw new VsockHandshakeException("vsock " + udsPath + ": connection closed after CONNECT " + port
                        + (reply.isEmpty() ? " (no guest listening on that port?)" : ", partial reply \"" + printable(reply.toString()) + "\""));
            }
            if (n == 0) continue;
            byte b = one.get(0);
            if (b == '\n') return parseOk(reply.toString(), udsPath, port);
            reply.append((char) (b & 0xff));
            if (reply.length() > MAX_REPLY_BYTES) {
                throw new VsockHandshakeException("vsock " + udsPath + ": reply to CONNECT " + port + " longer than "
                        + MAX_REPLY_BYTES + " bytes: \"" + printable(reply.toString()) + "\"");
            }
        }
    }

    static void writeFully(SocketChannel channel, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) channel.write(buf);
    }

    private static void checkPort(long port) {
        if (port < 0 || port > 0xFFFF_FFFFL) throw new IllegalArgumentException("vsock port out of range: " + port);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) b.append(c);
            else b.append(String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }
}
