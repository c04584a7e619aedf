package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/**
 * One slice of a result too large for one frame: the bytes {@code data} (base64 on the wire) at position
 * {@code index} of {@code total}. The slices, in order, are the UTF-8 JSON text of the value a {@link ChunkedResult}
 * then names by size and sha256.
 */
public record ResultChunk(String callId, int index, int total, byte[] data) implements GuestMessage {
    public static final String TYPE = "result_chunk";
    /** Most chunks of one result: 1 MiB in slices of at least 16 KiB. */
    public static final int MAX_CHUNKS = 64;
    /** Most bytes of one slice: its base64 (64,000 characters) and the frame's other fields fit in one frame. */
    public static final int MAX_DATA_BYTES = 48_000;

    public ResultChunk {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(data, "data");
        if (total < 1 || total > MAX_CHUNKS) throw new IllegalArgumentException("total must be 1.." + MAX_CHUNKS);
        if (index < 0 || index >= total) throw new IllegalArgumentException("index must be 0.." + (total - 1));
        if (data.length < 1 || data.length > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("data must have 1.." + MAX_DATA_BYTES + " bytes");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public String type() {
        return TYPE;
    }
}
