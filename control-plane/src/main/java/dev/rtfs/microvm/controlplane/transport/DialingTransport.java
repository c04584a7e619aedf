package dev.rtfs.microvm.controlplane.transport;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host connects: to QEMU's chardev in server mode ({@code -chardev socket,path=P,server=on,wait=off}), or to a
 * Firecracker / Cloud Hypervisor vsock socket with the {@code CONNECT <port>} handshake. Retries while the VMM (or
 * the guest listener) is not up yet.
 */
final class DialingTransport implements ControlTransport {
    private static final Logger LOG = LoggerFactory.getLogger(DialingTransport.class);

    private final Path path;
    private final long vsockPort; // -1: plain Unix socket
    private final Duration retry;
    private final Duration handshakeTimeout;
    private volatile boolean closed;

    private DialingTransport(Path path, long vsockPort, Duration retry, Duration handshakeTimeout) {
        this.path = path;
        this.vsockPort = vsockPort;
        this.retry = retry;
        this.handshakeTimeout = handshakeTimeout;
    }

    public static DialingTransport virtioSerial(Path qemuServerSocket, Duration retry) {
        return new DialingTransport(qemuServerSocket, -1, retry, Duration.ZERO);
    }

    public static DialingTransport vsockHostInitiated(Path udsPath, long port, Duration retry, Duration handshakeTimeout) {
        return new DialingTransport(udsPath, port, retry, handshakeTimeout);
    }

    /** One attempt, no retry. */
    public SocketChannel connectOnce() throws IOException {
        if (vsockPort < 0) return UnixSockets.connect(path);
        return HybridVsock.connect(path, vsockPort, handshakeTimeout).channel();
    }

    @Override
    public SocketChannel next() throws IOException, InterruptedException {
        while (true) {
            if (closed) throw new IOException("transport " + describe() + " is closed");
            try {
                return connectOnce();
            } catch (IOException e) {
                LOG.debug("{}: not reachable yet ({}); retrying in {} ms", describe(), e.getMessage(), retry.toMillis());
                Thread.sleep(retry); // waiting for an external process (the VMM), nothing to latch on
            }
        }
    }

    @Override
    public boolean concurrent() {
        return false;
    }

    @Override
    public String describe() {
        return vsockPort < 0 ? "unix:" + path + " (dialing)" : "vsock:" + path + " port " + vsockPort + " (dialing)";
    }

    @Override
    public void close() {
        closed = true;
    }
}
