package dev.rtfs.microvm.controlplane.transport;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host listens on a Unix socket: QEMU's virtio-serial chardev in client mode ({@code -chardev
 * socket,path=P,reconnect=1}) or the hybrid-vsock path {@code <uds_path>_<port>} for guest-initiated connections.
 */
public final class ListeningTransport implements ControlTransport {
    private final Path path;
    private final ServerSocketChannel server;

    private ListeningTransport(Path path, ServerSocketChannel server) {
        this.path = path;
        this.server = server;
    }

    public static ListeningTransport virtioSerial(Path socketPath) throws IOException {
        return new ListeningTransport(socketPath, UnixSockets.listen(socketPath));
    }

    public static ListeningTransport vsockGuestInitiated(Path udsPath, long port) throws IOException {
        Path path = HybridVsock.guestInitiatedPath(udsPath, port);
        return new ListeningTransport(path, UnixSockets.listen(path));
    }

    public Path path() {
        return path;
    }

    @Override
    public SocketChannel next() throws IOException {
        return server.accept();
    }

    @Override
    public boolean concurrent() {
        return true;
    }

    @Override
    public String describe() {
        return "unix:" + path + " (listening)";
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(path);
    }
}
