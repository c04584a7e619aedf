package dev.rtfs.microvm.egressproxy.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Whether a path may be taken for a new Unix socket listener, and removing what is there only when it is provably
 * ours to remove: a socket file nothing listens on (a connect attempt is refused, ECONNREFUSED, as after a crash).
 * A regular file, directory, symlink or FIFO is never removed, nor a socket something still listens on.
 *
 * <pre>{@code
 * switch (StaleSocket.inspect(path)) { case StaleSocket.Live l -> ...; ... }   // read-only look
 * StaleSocket.clear(path);    // absent: nothing to do; stale socket: removed; anything else: IOException naming path
 * }</pre>
 *
 * Another process can still bind the path between the check and the removal; the file key is compared before and
 * after the probe, so only that narrow window remains.
 */
public final class StaleSocket {

    /** What is at the path. */
    public sealed interface State {}

    /** Nothing: the path is free. */
    public record Absent() implements State {}

    /** A socket file nothing listens on: safe to remove. */
    public record Stale() implements State {}

    /** A socket something listens on (another proxy, another run): in use. */
    public record Live() implements State {}

    /** Not a socket ({@code kind}: "a regular file", "a directory", "a symbolic link", ...): never ours. */
    public record NotASocket(String kind) implements State {}

    /** Could not be examined (permissions, path too long, changed while probed). */
    public record Unusable(String why) implements State {}

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private StaleSocket() {}

    /** Looks at {@code path} without changing anything (one lstat and, for a socket, one connect attempt). */
    public static State inspect(Path path) {
        Objects.requireNonNull(path);
        Object key;
        try {
            String kind = kind(path);
            if (kind != null) {
                return new NotASocket(kind);
            }
            key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return new Absent();
        } catch (IOException | UnsupportedOperationException e) {
            return new Unusable("cannot examine it: " + e.getMessage());
        }
        State probed = probe(path);
        if (probed instanceof Stale) {
            try {
                Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
                if (!Objects.equals(key, now)) {
                    return new Unusable("it was replaced while being checked");
                }
            } catch (NoSuchFileException e) {
                return new Absent();
            } catch (IOException e) {
                return new Unusable("cannot examine it: " + e.getMessage());
            }
        }
        return probed;
    }

    /**
     * Makes {@code path} free for a new socket: nothing to do when absent, removes a stale socket, and otherwise
     * throws an {@link IOException} whose message names the path and what is there.
     */
    public static void clear(Path path) throws IOException {
        State s = inspect(path);
        switch (s) {
            case Absent a -> { }
            case Stale st -> {
                Files.deleteIfExists(path);
            }
            case Live l -> throw new IOException(path + ": in use (a process is listening on this socket)");
            case NotASocket n -> throw new IOException(path + ": is " + n.kind() + ", not a socket; refusing to replace it");
            case Unusable u -> throw new IOException(path + ": " + u.why());
        }
    }

    /** Null for a socket, else what the file is. */
    private static String kind(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        if (a.isDirectory()) {
            return "a directory";
        }
        if (a.isRegularFile()) {
            return "a regular file";
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return switch (mode & S_IFMT) {
            case S_IFSOCK -> null;
            case 0010000 -> "a FIFO";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            default -> "a special file";
        };
    }

    /** A non-blocking connect: refused means nobody listens; accepted or pending (full backlog) means in use. */
    private static State probe(Path path) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.configureBlocking(false);
            ch.connect(UnixDomainSocketAddress.of(path));
            return new Live();
        } catch (ConnectException e) {
            return new Stale(); // ECONNREFUSED: a socket file without a listener
        } catch (IOException | RuntimeException e) {
            return new Unusable("cannot probe the socket: " + e.getMessage());
        }
    }
}
