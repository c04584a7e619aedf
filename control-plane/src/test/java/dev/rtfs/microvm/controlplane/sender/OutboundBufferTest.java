package dev.rtfs.microvm.controlplane.sender;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboundBufferTest {
    @TempDir Path dir;

    private static byte[] frame(long seq) {
        return ("frame-" + seq).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void spillsBeyondMemoryKeepsOrderAndRefusesBeyondTheBound() throws Exception {
        Path spill = dir.resolve("spill");
        try (OutboundBuffer b = new OutboundBuffer(4, 20, spill)) {
            for (long s = 1; s <= 20; s++) assertThat(b.add(frame(s))).isTrue();
            assertThat(b.add(frame(21))).as("bounded").isFalse();
            assertThat(b.spilled()).isEqualTo(16);
            assertThat(Files.size(spill)).isPositive();
            for (long s = 1; s <= 20; s++) assertThat(b.get(s)).isEqualTo(frame(s));
            b.ackUpTo(10);
            assertThat(b.firstSeq()).isEqualTo(11);
            assertThat(b.spilled()).isEqualTo(6);
            for (long s = 11; s <= 20; s++) assertThat(b.get(s)).isEqualTo(frame(s));
            for (long s = 21; s <= 30; s++) assertThat(b.add(frame(s))).isTrue();
            b.ackUpTo(30);
            assertThat(b.size()).isZero();
            assertThat(b.nextSeq()).isEqualTo(31);
            assertThat(Files.size(spill)).as("spill file emptied once drained").isZero();
        }
        assertThat(spill).doesNotExist();
    }
}
