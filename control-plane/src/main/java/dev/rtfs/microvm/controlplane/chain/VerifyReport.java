package dev.rtfs.microvm.controlplane.chain;

import java.nio.file.Path;

/** Outcome of {@link ChainVerifier#verify}. */
public sealed interface VerifyReport {

    /**
     * Every record checked. {@code anchorsVerified} counts anchors whose signature was checked with a key;
     * {@code head} says how the end of the chain is vouched for.
     */
    record Valid(long records, long firstSeq, long headSeq, String headHash, int segments, int anchors,
                 int anchorsVerified, HeadStatus head) implements VerifyReport {

        /** The chain ends at a head whose signature was verified. */
        public boolean signed() {
            return head instanceof HeadStatus.Signed s && s.signatureChecked();
        }
    }

    /**
     * The first bad place: {@code seq} is the seq that should be at that position (0 when not knowable: a lone file
     * whose first record is damaged), {@code offset} the byte offset of the bad line in {@code file}. For a problem
     * with the signed head, {@code file} is the chain's {@code HEAD} (or the directory when it has none) and
     * {@code offset} is 0.
     */
    record Invalid(long seq, Path file, long offset, String reason, long validRecordsBefore) implements VerifyReport {}
}
