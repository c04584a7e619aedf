package dev.rtfs.microvm.controlplane.chain;

/**
 * Checks records in file order: each must be valid on its own ({@link RecordFormat#parse}), carry the next seq and
 * link to the previous hash. Knows which seq it expects, so a defect can be named by the seq that should be there.
 */
final class ChainWalker {
    private long expectedSeq;
    private String expectedPrev;

    /** @param expectedSeq -1 when unknown (a lone file of unknown origin); @param expectedPrev null when unknown */
    ChainWalker(long expectedSeq, String expectedPrev) {
        this.expectedSeq = expectedSeq;
        this.expectedPrev = expectedPrev;
    }

    ChainRecord next(byte[] line) throws RecordDefect {
        ChainRecord r = RecordFormat.parse(line);
        if (expectedSeq >= 0 && r.seq() != expectedSeq) {
            throw new RecordDefect(r.seq() > expectedSeq
                    ? "expected seq " + expectedSeq + " but found seq " + r.seq() + ": record(s) missing"
                    : "expected seq " + expectedSeq + " but found seq " + r.seq() + ": record out of order or repeated");
        }
        if (expectedPrev != null && !r.prev().equals(expectedPrev)) {
            throw new RecordDefect("broken link: prev " + RecordFormat.abbrev(r.prev())
                    + " is not the hash of the previous record " + RecordFormat.abbrev(expectedPrev));
        }
        expectedSeq = r.seq() + 1;
        expectedPrev = r.hash();
        return r;
    }

    long expectedSeq() {
        return expectedSeq;
    }

    String expectedPrev() {
        return expectedPrev;
    }
}
