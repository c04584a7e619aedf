package dev.rtfs.microvm.controlplane.sender;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Unacknowledged frames, seq-contiguous from {@link #firstSeq()}: the oldest up to {@code memoryFrames} in memory,
 * the rest appended to a spill file, moved back into memory as acks make room. Bounded by {@code maxFrames} in all;
 * {@link #add} refuses beyond that so the caller can apply back-pressure. Not thread-safe (the sender locks).
 *
 * <p>The spill file protects against an outage of the receiver, not a crash of this process.
 */
final class OutboundBuffer implements AutoCloseable {
    private final int memoryFrames;
    private final long maxFrames;
    private final Path spillPath;
    private byte[][] ring;
    private int ringHead;
    private int ringSize;
    private long firstSeq = 1;
    private FileChannel spill;
    private long[] spillOffsets = new long[64];
    private int spillHead;
    private int spillCount;
    private long spillEnd;

    public OutboundBuffer(int memoryFrames, long maxFrames, Path spillPath) {
        if (memoryFrames < 1 || maxFrames < memoryFrames) throw new IllegalArgumentException("bad buffer bounds");
        this.memoryFrames = memoryFrames;
        this.maxFrames = maxFrames;
        this.spillPath = spillPath;
        this.ring = new byte[memoryFrames][];
    }

    /** Seq of the oldest unacknowledged frame (== {@link #nextSeq()} when empty). */
    public long firstSeq() {
        return firstSeq;
    }

    public long nextSeq() {
        return firstSeq + size();
    }

    public long size() {
        return ringSize + spillCount;
    }

    public long spilled() {
        return spillCount;
    }

    public boolean isFull() {
        return size() >= maxFrames;
    }

    /** Appends the frame for {@link #nextSeq()}; false when full. */
    public boolean add(byte[] frame) throws IOException {
        if (isFull()) return false;
        if (spillCount == 0 && ringSize < memoryFrames) {
            ring[(ringHead + ringSize) % memoryFrames] = frame;
            ringSize++;
            return true;
        }
        if (spill == null) {
            spill = FileChannel.open(spillPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            spillEnd = 0;
        }
        ByteBuffer buf = ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).flip();
        long at = spillEnd;
        while (buf.hasRemaining()) spillEnd += spill.write(buf, spillEnd);
        if (spillCount == spillOffsets.length) {
            long[] grown = new long[spillOffsets.length * 2];
            for (int i = 0; i < spillCount; i++) grown[i] = spillOffsets[(spillHead + i) % spillOffsets.length];
            spillOffsets = grown;
            spillHead = 0;
        }
        spillOffsets[(spillHead + spillCount) % spillOffsets.length] = at;
        spillCount++;
        return true;
    }

    /** The frame of {@code seq}, which must be in [{@link #firstSeq()}, {@link #nextSeq()}). */
    public byte[] get(long seq) throws IOException {
        if (seq < firstSeq || seq >= nextSeq()) throw new IllegalArgumentException("seq " + seq + " not buffered");
        long index = seq - firstSeq;
        if (index < ringSize) return ring[(int) ((ringHead + index) % memoryFrames)];
        return readSpilled((int) (index - ringSize));
    }

    /** Drops every frame up to and including {@code seq}, refilling memory from the spill file. */
    public void ackUpTo(long seq) throws IOException {
        while (firstSeq <= seq && size() > 0) {
            if (ringSize > 0) {
                ring[ringHead] = null;
                ringHead = (ringHead + 1) % memoryFrames;
                ringSize--;
            } else {
                spillHead = (spillHead + 1) % spillOffsets.length;
                spillCount--;
            }
            firstSeq++;
        }
        while (ringSize < memoryFrames && spillCount > 0) {
            byte[] frame = readSpilled(0);
            spillHead = (spillHead + 1) % spillOffsets.length;
            spillCount--;
            ring[(ringHead + ringSize) % memoryFrames] = frame;
            ringSize++;
        }
        if (spillCount == 0 && spill != null && spillEnd > 0) {
            spill.truncate(0);
            spillEnd = 0;
        }
        if (size() == 0 && firstSeq <= seq) firstSeq = seq + 1;
    }

    private byte[] readSpilled(int index) throws IOException {
        long at = spillOffsets[(spillHead + index) % spillOffsets.length];
        ByteBuffer len = ByteBuffer.allocate(4);
        while (len.hasRemaining()) {
            if (spill.read(len, at + len.position()) < 0) throw new IOException("spill file " + spillPath + " truncated");
        }
        byte[] frame = new byte[len.flip().getInt()];
        ByteBuffer body = ByteBuffer.wrap(frame);
        while (body.hasRemaining()) {
            if (spill.read(body, at + 4 + body.position()) < 0) throw new IOException("spill file " + spillPath + " truncated");
        }
        return frame;
    }

    @Override
    public void close() throws IOException {
        Arrays.fill(ring, null);
        if (spill != null) {
            spill.close();
            Files.deleteIfExists(spillPath);
        }
    }
}
