package dev.rtfs.microvm.control.chain;

import java.time.Clock;

/**
 * Store tuning. {@code hashing=false} exists only as the benchmark baseline (records then carry zero hashes and do
 * not verify). {@code anchorEvery > 0} with a signer writes an Ed25519-signed anchor record after every N records.
 */
public record ChainOptions(long segmentBytes, int maxBatch, boolean hashing, int anchorEvery, AnchorSigner signer,
                           Clock clock) {

    public ChainOptions {
        if (segmentBytes < 4096) throw new IllegalArgumentException("segmentBytes < 4096");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch < 1");
        if (anchorEvery < 0 || (anchorEvery > 0 && signer == null)) {
            throw new IllegalArgumentException("anchors need anchorEvery > 0 and a signer");
        }
    }

    public static ChainOptions defaults() {
        return new ChainOptions(64L << 20, 8192, true, 0, null, Clock.systemUTC());
    }

    public ChainOptions withSegmentBytes(long bytes) {
        return new ChainOptions(bytes, maxBatch, hashing, anchorEvery, signer, clock);
    }

    public ChainOptions withAnchors(AnchorSigner anchorSigner, int every) {
        return new ChainOptions(segmentBytes, maxBatch, hashing, every, anchorSigner, clock);
    }

    public ChainOptions withoutHashing() {
        return new ChainOptions(segmentBytes, maxBatch, false, anchorEvery, signer, clock);
    }
}
