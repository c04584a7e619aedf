package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Reads a segment line by line with byte offsets, holding at most {@link RecordFormat#MAX_RECORD_BYTES} of a line. */
final class SegmentLines implements AutoCloseable {

    /**
     * One line. {@code bytes} is null when the line was longer than the limit; {@code terminated} is false for a
     * last line without newline (a torn write).
     */
    record Line(long offset, long length, byte[] bytes, boolean terminated) {}

    private final ReadableByteChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16).flip();
    private long position;
    private boolean eof;

    SegmentLines(Path file) throws IOException {
        this(FileChannel.open(file, StandardOpenOption.READ));
    }

    SegmentLines(ReadableByteChannel channel) {
        this.channel = channel;
    }

    Line next() throws IOException {
        long start = position;
        byte[] buf = new byte[256];
        int len = 0;
        boolean oversized = false;
        while (true) {
            if (!in.hasRemaining()) {
                if (eof) break;
                in.clear();
                int n = channel.read(in);
                in.flip();
                if (n < 0) {
                    eof = true;
                    break;
                }
                continue;
            }
            byte b = in.get();
            position++;
            if (b == '\n') return new Line(start, position - start - 1, oversized ? null : Arrays.copyOf(buf, len), true);
            if (oversized) continue;
            if (len == RecordFormat.MAX_RECORD_BYTES) {
                oversized = true;
                continue;
            }
            if (len == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
            buf[len++] = b;
        }
        if (position == start) return null;
        return new Line(start, position - start, oversized ? null : Arrays.copyOf(buf, len), false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
