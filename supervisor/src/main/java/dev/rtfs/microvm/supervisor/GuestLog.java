package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.rtfslang.PrintableText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest log of a run: every byte the VMM process prints (its own errors, the guest's serial console with the
 * kernel's messages, /init and the agent's stderr), whatever the config's cmdline says about consoles.
 *
 * <p>The guest is untrusted, so the log is private (created 0600, never through a symlink), bounded (past
 * {@code maxBytes} the file is rotated to {@code guest.log.1} and started again: at most twice the bound on disk,
 * and the newest output, the part that says why a boot failed, is always kept) and only ever treated as text: the
 * last lines kept in memory for error messages are cut to {@link #LINE_CHARS} characters and made printable.
 */
final class GuestLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuestLog.class);

    /** Default bound of one log file. */
    public static final long DEFAULT_MAX_BYTES = 8L << 20;
    /** Lines kept in memory for error messages, and how much of each. */
    static final int TAIL_LINES = 200;
    static final int LINE_CHARS = 300;

    private final Path file;
    private final long maxBytes;
    private final Deque<String> tail = new ArrayDeque<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private FileChannel channel;
    private long written;
    private long total;
    private long sinceMark;
    private int rotations;

    private GuestLog(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        this.channel = create(file);
    }

    /** A new, empty log at {@code file} (an old file or symlink there is removed first, never followed). */
    public static GuestLog open(Path file, long maxBytes) throws IOException {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("a guest log needs at least 1 KiB");
        }
        return new GuestLog(file, maxBytes);
    }

    private static FileChannel create(Path file) throws IOException {
        Files.deleteIfExists(file);
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    public Path file() {
        return file;
    }

    /**
     * A line of the host's own (e.g. "boot 2") in the file, so a reader can tell the boots of one run apart; the
     * in-memory tail and {@link #bytesSinceMark} start again from here.
     */
    public synchronized void mark(String line) {
        byte[] b = ("--- rtfs-microvm: " + line + " ---\n").getBytes(StandardCharsets.UTF_8);
        toFile(b, b.length);
        tail.clear();
        partial.reset();
        sinceMark = 0;
    }

    /**
     * Copies {@code in} (the VMM's stdout and stderr) into the log on a virtual thread until end of stream; the
     * future completes then, or with the error that ended the copy.
     */
    public CompletableFuture<Void> pump(InputStream in) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Thread.ofVirtual().name("guest-log").start(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (n > 0) {
                        synchronized (this) {
                            printed(buf, n);
                        }
                    }
                }
                drained.complete(null);
            } catch (IOException e) {
                drained.completeExceptionally(e);
            }
        });
        return drained;
    }

    /** Bytes the VMM printed: counted, kept in the tail, written to the file. */
    private void printed(byte[] b, int n) {
        total += n;
        sinceMark += n;
        track(b, n);
        toFile(b, n);
    }

    private void toFile(byte[] b, int n) {
        if (channel == null) {
            return;
        }
        try {
            if (written + n > maxBytes) {
                rotate();
            }
            ByteBuffer buf = ByteBuffer.wrap(b, 0, n);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            written += n;
        } catch (IOException e) {
            // The run goes on without a log file; the tail in memory still explains a failed boot.
            LOG.warn("guest log {} is no longer written: {}", file, e.toString());
            closeQuietly();
        }
    }

    private void rotate() throws IOException {
        channel.close();
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        channel = create(file);
        written = 0;
        rotations++;
    }

    /** Splits into lines for the in-memory tail; a line longer than the cut is kept only up to it. */
    private void track(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            if (c == '\n') {
                endLine();
            } else if (partial.size() < LINE_CHARS * 4) { // UTF-8: up to 4 bytes per character
                partial.write(c);
            }
        }
    }

    private void endLine() {
        tail.addLast(printable(partial));
        partial.reset();
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
    }

    /** A line of guest bytes as text: malformed UTF-8 replaced, cut to {@link #LINE_CHARS}, control characters escaped. */
    private static String printable(ByteArrayOutputStream raw) {
        String line = raw.toString(StandardCharsets.UTF_8).replace("\r", "");
        if (line.length() > LINE_CHARS) {
            line = line.substring(0, LINE_CHARS) + "…";
        }
        return PrintableText.of(line);
    }

    /** The last {@code n} non-empty lines (an unfinished last line included), printable. */
    public synchronized List<String> lastLines(int n) {
        List<String> all = new ArrayList<>(tail);
        if (partial.size() > 0) {
            all.add(printable(partial));
        }
        List<String> nonEmpty = all.stream().filter(l -> !l.isBlank()).toList();
        return nonEmpty.subList(Math.max(0, nonEmpty.size() - n), nonEmpty.size());
    }

    /** Bytes the VMM printed in all (also those rotated away). */
    public synchronized long totalBytes() {
        return total;
    }

    /** Bytes the VMM printed since the last {@link #mark} (this boot). */
    public synchronized long bytesSinceMark() {
        return sinceMark;
    }

    public synchronized int rotations() {
        return rotations;
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.debug("closing the guest log", e);
        }
        channel = null;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
