package dev.rtfs.microvm.controlplane.protocol;

import dev.rtfs.microvm.controlplane.chain.RecordFormat;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The one PRNG of a deterministic step, written the same way in the guest agent (busybox {@code sha256sum}) so the
 * host can check every draw: word(d) = the first 4 bytes, big-endian unsigned, of
 * sha256("rtfs-random/v1|" seed "|" step "|" call "|" d) (decimal indices, seed as lowercase hex). A value in
 * [0, max) is the first word(d), d = 0, 1, ..., below the largest multiple of max that fits in 2^32, reduced mod
 * max: rejection sampling, so no value is favoured.
 */
public record DeterministicRandom(String seed, int step, int call) {

    public static final String DOMAIN = "rtfs-random/v1";
    /** random.int's bound: what busybox sh arithmetic and the capability's args accept. */
    public static final long MAX_BOUND = Integer.MAX_VALUE;
    private static final long WORDS = 1L << 32;

    public DeterministicRandom {
        Objects.requireNonNull(seed, "seed");
        CallDeterminism.problem(java.util.Optional.of(seed), step, call, java.util.OptionalLong.empty())
                .ifPresent(p -> {
                    throw new IllegalArgumentException(p);
                });
    }

    /** The 32-bit word of draw {@code d} as an unsigned value in [0, 2^32). */
    public long word(long d) {
        byte[] h = sha256(DOMAIN + "|" + seed + "|" + step + "|" + call + "|" + d);
        return ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
    }

    /** The call's value in [0, max), {@code max} in 1..{@link #MAX_BOUND}. */
    public long nextBelow(long max) {
        if (max < 1 || max > MAX_BOUND) throw new IllegalArgumentException("max must be 1.." + MAX_BOUND + ", got " + max);
        long limit = WORDS - WORDS % max;
        for (long d = 0; ; d++) {
            long w = word(d);
            if (w < limit) return w % max;
        }
    }

    private static byte[] sha256(String text) {
        return RecordFormat.sha256().digest(text.getBytes(StandardCharsets.US_ASCII));
    }
}
