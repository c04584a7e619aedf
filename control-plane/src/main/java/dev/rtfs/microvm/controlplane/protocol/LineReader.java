package dev.rtfs.microvm.controlplane.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Splits a byte stream into newline-terminated frames while holding at most {@code maxLineBytes} of one line plus a
 * fixed read buffer: an over-long line is counted and skipped up to its newline, so a hostile peer cannot make the
 * host allocate more than the limit.
 */
public final class LineReader {
    private final ReadableByteChannel channel;
    private final int maxLineBytes;
    private final ByteBuffer in = ByteBuffer.allocate(8192).flip();
    private final byte[] line;
    private int lineLength;
    private long skipped;
    private boolean overflowing;
    private boolean ended;

    public LineReader(ReadableByteChannel channel, int maxLineBytes) {
        this.channel = channel;
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[maxLineBytes];
    }

    public ReadLine next() throws IOException {
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    if (overflowing) {
                        long size = skipped;
                        overflowing = false;
                        skipped = 0;
                        lineLength = 0;
                        return new ReadLine.Oversized(size);
                    }
                    byte[] frame = Arrays.copyOf(line, lineLength);
                    lineLength = 0;
                    return new ReadLine.Line(frame);
                }
                if (overflowing) {
                    skipped++;
                } else if (lineLength == maxLineBytes) {
                    overflowing = true;
                    skipped = lineLength + 1L;
                } else {
                    line[lineLength++] = b;
                }
            }
            if (ended) return new ReadLine.EndOfStream();
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                ended = true;
                if (overflowing) {
                    overflowing = false;
                    return new ReadLine.Oversized(skipped);
                }
                if (lineLength > 0) {
                    int size = lineLength;
                    lineLength = 0;
                    return new ReadLine.Truncated(size);
                }
                return new ReadLine.EndOfStream();
            }
        }
    }
}
