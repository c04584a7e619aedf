package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A successful {@code result} frame whose value came before it as {@code total} {@link ResultChunk}s: {@code bytes}
 * of UTF-8 JSON text whose sha256 is {@code sha256}. On the wire it is a {@code result} with {@code ok: true} and a
 * {@code chunks} object instead of {@code value}.
 */
public record ChunkedResult(String callId, int total, long bytes, String sha256) implements GuestMessage {
    /** The largest value a result may carry: the user-capability contract's 1 MiB of stdout. */
    public static final long MAX_VALUE_BYTES = 1_048_576;
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ChunkedResult {
        Objects.requireNonNull(callId, "callId");
        if (total < 1 || total > ResultChunk.MAX_CHUNKS) {
            throw new IllegalArgumentException("total must be 1.." + ResultChunk.MAX_CHUNKS);
        }
        if (bytes < 1 || bytes > MAX_VALUE_BYTES) throw new IllegalArgumentException("bytes must be 1.." + MAX_VALUE_BYTES);
        if (!SHA256_HEX.matcher(sha256).matches()) throw new IllegalArgumentException("sha256 must be 64 lowercase hex");
    }

    @Override
    public String type() {
        return Result.TYPE;
    }
}
