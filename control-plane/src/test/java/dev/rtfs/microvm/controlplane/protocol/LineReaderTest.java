package dev.rtfs.microvm.controlplane.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static LineReader reader(byte[] bytes, int max) {
        return new LineReader(Channels.newChannel(new ByteArrayInputStream(bytes)), max);
    }

    @Test
    void splitsLinesAndSkipsOversizedOnesThenRecovers() throws IOException {
        byte[] input = ("ab\n" + "x".repeat(100) + "\ncd\n" + "y".repeat(10) + "\nef").getBytes(StandardCharsets.US_ASCII);
        LineReader r = reader(input, 10);
        assertThat(new String(((ReadLine.Line) r.next()).bytes(), StandardCharsets.US_ASCII)).isEqualTo("ab");
        assertThat(r.next()).isEqualTo(new ReadLine.Oversized(100));
        assertThat(new String(((ReadLine.Line) r.next()).bytes(), StandardCharsets.US_ASCII)).isEqualTo("cd");
        assertThat(((ReadLine.Line) r.next()).bytes()).hasSize(10); // exactly the limit is fine
        assertThat(r.next()).isEqualTo(new ReadLine.Truncated(2));
        assertThat(r.next()).isInstanceOf(ReadLine.EndOfStream.class);
    }

    @Test
    void neverBuffersMoreThanTheLimitOfAnEndlessLine() throws IOException {
        // 64 MiB of one line from a channel that produces bytes on demand: the reader must skip it in constant memory.
        long total = 64L << 20;
        ReadableByteChannel endless = new ReadableByteChannel() {
            long produced;

            @Override
            public int read(ByteBuffer dst) {
                if (produced >= total) {
                    if (produced == total) {
                        produced++;
                        dst.put((byte) '\n');
                        return 1;
                    }
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), total - produced);
                for (int i = 0; i < n; i++) dst.put((byte) 'z');
                produced += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
        LineReader r = new LineReader(endless, MessageCodec.MAX_LINE_BYTES);
        assertThat(r.next()).isEqualTo(new ReadLine.Oversized(total));
        assertThat(r.next()).isInstanceOf(ReadLine.EndOfStream.class);
    }
}
