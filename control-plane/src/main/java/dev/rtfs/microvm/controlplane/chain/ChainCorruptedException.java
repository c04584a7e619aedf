package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.nio.file.Path;

/** A chain that cannot be opened because a record before its tail is damaged; names seq, file and byte offset. */
final class ChainCorruptedException extends IOException {
    private final long seq;
    private final Path file;
    private final long offset;

    public ChainCorruptedException(long seq, Path file, long offset, String reason) {
        super("causal chain corrupted at seq " + seq + " (" + file + " offset " + offset + "): " + reason);
        this.seq = seq;
        this.file = file;
        this.offset = offset;
    }

    public long seq() {
        return seq;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
