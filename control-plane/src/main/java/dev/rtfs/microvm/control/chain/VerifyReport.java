package dev.rtfs.microvm.control.chain;

import java.nio.file.Path;

/** Outcome of {@link ChainVerifier#verify}. */
public sealed interface VerifyReport {

    /** Every record checked. {@code anchorsVerified} counts anchors whose signature was checked with a key. */
    record Valid(long records, long firstSeq, long headSeq, String headHash, int segments, int anchors,
                 int anchorsVerified) implements VerifyReport {}

    /**
     * The first bad place: {@code seq} is the seq that should be at that position (0 when not knowable: a lone file
     * whose first record is damaged), {@code offset} the byte offset of the bad line in {@code file}.
     */
    record Invalid(long seq, Path file, long offset, String reason, long validRecordsBefore) implements VerifyReport {}
}
