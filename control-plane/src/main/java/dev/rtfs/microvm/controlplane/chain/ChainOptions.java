package dev.rtfs.microvm.controlplane.chain;

import java.time.Clock;

/**
 * Store tuning. {@code hashing=false} exists only as the benchmark baseline (records then carry zero hashes and do
 * not verify). {@code anchorEvery > 0} with a signer writes an Ed25519-signed anchor record after every N records.
 * {@code headSigner} (null: none) signs the chain head into {@code HEAD} after every group commit ({@link SignedHead}).
 */
public record ChainOptions(long segmentBytes, int maxBatch, boolean hashing, int anchorEvery, AnchorSigner signer,
                           Clock clock, AnchorSigner headSigner) {

    public ChainOptions {
        if (segmentBytes < 4096) throw new IllegalArgumentException("segmentBytes < 4096");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch < 1");
        if (anchorEvery < 0 || (anchorEvery > 0 && signer == null)) {
            throw new IllegalArgumentException("anchors need anchorEvery > 0 and a signer");
        }
        if (headSigner != null && !hashing) throw new IllegalArgumentException("a signed head needs hashing");
    }

    public static ChainOptions defaults() {
        return new ChainOptions(64L << 20, 8192, true, 0, null, Clock.systemUTC(), null);
    }

    public ChainOptions withSegmentBytes(long bytes) {
        return new ChainOptions(bytes, maxBatch, hashing, anchorEvery, signer, clock, headSigner);
    }

    public ChainOptions withAnchors(AnchorSigner anchorSigner, int every) {
        return new ChainOptions(segmentBytes, maxBatch, hashing, every, anchorSigner, clock, headSigner);
    }

    /** Signs the head into {@code HEAD} after every group commit with {@code key} (the host's chain key). */
    public ChainOptions withHeadSigner(AnchorSigner key) {
        return new ChainOptions(segmentBytes, maxBatch, hashing, anchorEvery, signer, clock, key);
    }

    public ChainOptions withoutHashing() {
        return new ChainOptions(segmentBytes, maxBatch, false, anchorEvery, signer, clock, headSigner);
    }
}
