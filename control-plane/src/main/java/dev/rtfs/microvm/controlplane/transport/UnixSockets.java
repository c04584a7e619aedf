package dev.rtfs.microvm.controlplane.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Host Unix sockets through the JDK (no native code). */
public final class UnixSockets {
    /** sun_path is 108 bytes including the terminating NUL. */
    public static final int MAX_PATH_BYTES = 107;

    private UnixSockets() {}

    public static void checkPathLength(Path path) throws IOException {
        int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PATH_BYTES) {
            throw new IOException("socket path " + path + " is " + bytes + " bytes; Unix sockets allow " + MAX_PATH_BYTES);
        }
    }

    /**
     * Binds and listens on {@code path}. A stale socket file (left by a dead process: connecting to it is refused) is
     * removed first; a socket something listens on, and any other kind of file at that path, is an error, never
     * deleted. (egress-proxy's StaleSocket applies the same rule; this module depends on nothing of ours.)
     */
    public static ServerSocketChannel listen(Path path) throws IOException {
        checkPathLength(path);
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new IOException(path + " exists and is not a socket; refusing to replace it");
            }
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.configureBlocking(false);
                probe.connect(UnixDomainSocketAddress.of(path));
                throw new IOException(path + ": in use (a process is listening on this socket)");
            } catch (java.net.ConnectException refused) {
                Files.delete(path); // nobody listens: a dead process's socket
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        return server;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    public static SocketChannel connect(Path path) throws IOException {
        checkPathLength(path);
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(path));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
