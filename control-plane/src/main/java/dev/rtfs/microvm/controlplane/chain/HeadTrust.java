package dev.rtfs.microvm.controlplane.chain;

import java.security.PublicKey;

/** How {@link ChainVerifier} treats a chain directory's signed {@code HEAD}. */
public sealed interface HeadTrust {

    /** HEAD must exist, be signed by {@code key}, and its seq and hash must be in the chain. */
    record Key(PublicKey key) implements HeadTrust {}

    /** The signature is not checked (the user said so); a HEAD that is there is still compared with the records. */
    record SignatureWaived() implements HeadTrust {}

    /** Records only: HEAD is ignored (the store's own checks and callers that verify chains they just wrote). */
    record RecordsOnly() implements HeadTrust {}
}
