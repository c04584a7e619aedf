package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Checks a chain directory (all segments from seq 1) or one segment file: every record valid on its own, seqs
 * contiguous, every {@code prev} equal to the previous hash, segment names matching their first record, anchors
 * consistent (and signed by {@code anchorKey} when one is given), and the directory's signed {@code HEAD} (see
 * {@link SignedHead}) in the chain. Stops at, and names, the first bad record.
 */
public final class ChainVerifier {

    private ChainVerifier() {}

    /** Records only, HEAD ignored: see {@link #verify(Path, HeadTrust, PublicKey, Consumer)} for the whole check. */
    public static VerifyReport verify(Path fileOrDir, PublicKey anchorKey) throws IOException {
        return verify(fileOrDir, anchorKey, r -> { });
    }

    /** As {@link #verify(Path, PublicKey)}, handing each good record to {@code sink} in order. */
    public static VerifyReport verify(Path fileOrDir, PublicKey anchorKey, Consumer<ChainRecord> sink)
            throws IOException {
        return verify(fileOrDir, new HeadTrust.RecordsOnly(), anchorKey, sink);
    }

    /**
     * Checks the records and, for a directory, how its end is vouched for ({@code trust}): with a key, the chain must
     * have a {@code HEAD} signed by it whose seq and hash are a record of the chain, so records cut off the end, a
     * removed last segment, an emptied directory or a chain re-hashed after a change are all invalid. Records after
     * the signed head that link to it make a {@link HeadStatus.UnsignedTail}, not an error: a crash between a commit
     * and the head update leaves exactly that.
     */
    public static VerifyReport verify(Path fileOrDir, HeadTrust trust, PublicKey anchorKey, Consumer<ChainRecord> sink)
            throws IOException {
        if (!Files.isDirectory(fileOrDir)) {
            if (!Files.isRegularFile(fileOrDir)) {
                throw new IOException(Files.exists(fileOrDir) ? "not a segment file or chain directory" : "no such file or directory");
            }
            return new Walk(anchorKey, sink).segment(fileOrDir, new SegmentLines(fileOrDir));
        }
        List<Segments.Segment> segments = Segments.list(fileOrDir);
        Path headFile = SignedHead.path(fileOrDir);
        Optional<SignedHead> head = Optional.empty();
        if (!(trust instanceof HeadTrust.RecordsOnly)) {
            try {
                head = SignedHead.read(fileOrDir);
            } catch (RecordDefect e) {
                return new VerifyReport.Invalid(0, headFile, 0, e.getMessage(), 0);
            }
            if (segments.isEmpty() && head.isEmpty()) {
                return new VerifyReport.Invalid(0, fileOrDir, 0, "no segment files and no signed HEAD: not a causal chain"
                        + " (or every file of it was removed)", 0);
            }
            if (trust instanceof HeadTrust.Key(PublicKey key)) {
                if (head.isEmpty()) {
                    return new VerifyReport.Invalid(0, headFile, 0, "no signed HEAD: nothing vouches for the end of the"
                            + " chain, so records cut off the end or re-hashed cannot be detected", 0);
                }
                SignedHead h = head.get();
                if (!AnchorSigner.keyId(key).equals(h.keyId())) {
                    return new VerifyReport.Invalid(h.seq(), headFile, 0, "HEAD is signed by key " + h.keyId()
                            + ", not by the expected key " + AnchorSigner.keyId(key), 0);
                }
                if (!h.verifiedBy(key)) {
                    return new VerifyReport.Invalid(h.seq(), headFile, 0, "HEAD signature does not verify for "
                            + h.describe() + ": HEAD was forged or altered", 0);
                }
            }
        }
        long pinned = head.map(SignedHead::seq).orElse(-1L);
        String[] hashAtPinned = {pinned == 0 ? RecordFormat.GENESIS : null};
        Walk walk = new Walk(anchorKey, r -> {
            if (r.seq() == pinned) hashAtPinned[0] = r.hash();
            sink.accept(r);
        });
        walk.walker = new ChainWalker(1, RecordFormat.GENESIS);
        for (Segments.Segment seg : segments) {
            if (seg.firstSeq() != walk.walker.expectedSeq()) {
                return new VerifyReport.Invalid(walk.walker.expectedSeq(), seg.path(), 0,
                        "segment " + seg.path().getFileName() + " starts at seq " + seg.firstSeq() + " but seq "
                                + walk.walker.expectedSeq() + " is next (segment missing or misnamed)", walk.records);
            }
            VerifyReport.Invalid bad = walk.file(seg.path());
            if (bad != null) return bad;
        }
        if (head.isEmpty()) {
            return walk.valid(segments.size(), new HeadStatus.NotChecked(trust instanceof HeadTrust.RecordsOnly
                    ? "records only" : "no HEAD (signature check waived)"));
        }
        SignedHead h = head.get();
        boolean checked = trust instanceof HeadTrust.Key;
        if (h.seq() > walk.headSeq) {
            long removed = h.seq() - walk.headSeq;
            return new VerifyReport.Invalid(walk.headSeq + 1, headFile, 0, "head signed at " + h.describe()
                    + " but the chain ends at seq " + walk.headSeq + (walk.headSeq == 0 ? " (no records)" : "") + ": "
                    + removed + " record(s) removed", walk.records);
        }
        if (!h.hash().equals(hashAtPinned[0])) {
            return new VerifyReport.Invalid(h.seq(), headFile, 0, "head signed at " + h.describe() + " but record "
                    + h.seq() + " has hash " + RecordFormat.abbrev(hashAtPinned[0]) + ": the chain was rewritten at or "
                    + "before seq " + h.seq() + " (or HEAD belongs to another chain)", walk.records);
        }
        return walk.valid(segments.size(), walk.headSeq == h.seq() ? new HeadStatus.Signed(h, checked)
                : new HeadStatus.UnsignedTail(h, checked, walk.headSeq - h.seq()));
    }

    /** One segment held in memory (as if it were a file named {@code name}); lets tests tamper without disk I/O. */
    static VerifyReport verifySegmentBytes(Path name, byte[] bytes) throws IOException {
        return new Walk(null, r -> { }).segment(name, new SegmentLines(
                java.nio.channels.Channels.newChannel(new java.io.ByteArrayInputStream(bytes))));
    }

    private static final class Walk {
        private final PublicKey anchorKey;
        private final Consumer<ChainRecord> sink;
        ChainWalker walker;
        long records;
        long firstSeq = -1;
        long headSeq;
        String headHash = RecordFormat.GENESIS;
        int anchors;
        int anchorsVerified;

        Walk(PublicKey anchorKey, Consumer<ChainRecord> sink) {
            this.anchorKey = anchorKey;
            this.sink = sink;
        }

        /** A lone segment: it starts the chain when its name says seq 1, else its first record sets the link. */
        VerifyReport segment(Path name, SegmentLines lines) throws IOException {
            long named = Segments.firstSeq(name);
            walker = named == 1 ? new ChainWalker(1, RecordFormat.GENESIS) : new ChainWalker(named, null);
            VerifyReport.Invalid bad = lines(name, lines);
            return bad != null ? bad : valid(1, new HeadStatus.NotChecked(
                    "a single segment; the signed HEAD vouches for the chain directory"));
        }

        VerifyReport.Invalid file(Path file) throws IOException {
            return lines(file, new SegmentLines(file));
        }

        VerifyReport.Invalid lines(Path file, SegmentLines segmentLines) throws IOException {
            try (SegmentLines lines = segmentLines) {
                SegmentLines.Line line;
                while ((line = lines.next()) != null) {
                    String defect = null;
                    long position = walker.expectedSeq();
                    if (!line.terminated()) defect = "torn record (no newline at end of file)";
                    else if (line.bytes() == null) defect = "line longer than " + RecordFormat.MAX_RECORD_BYTES + " bytes";
                    else {
                        try {
                            ChainRecord r = walker.next(line.bytes());
                            position = r.seq();
                            checkAnchor(r);
                            checkValueFiles(file, r);
                            if (firstSeq < 0) firstSeq = r.seq();
                            records++;
                            headSeq = r.seq();
                            headHash = r.hash();
                            sink.accept(r);
                        } catch (RecordDefect e) {
                            defect = e.getMessage();
                        }
                    }
                    if (defect != null) {
                        return new VerifyReport.Invalid(Math.max(0, position), file, line.offset(), defect,
                                records);
                    }
                }
            }
            return null;
        }

        /** The value files a host record lists sit beside its segment, with the size and hash it names. */
        private void checkValueFiles(Path segment, ChainRecord r) throws RecordDefect, IOException {
            Path dir = segment.toAbsolutePath().getParent();
            if (dir == null) return;
            var problem = ValueFiles.problemOfListed(dir, r);
            if (problem.isPresent()) throw new RecordDefect(problem.get());
        }

        private void checkAnchor(ChainRecord r) throws RecordDefect {
            if (!AnchorSigner.KIND.equals(r.kind()) || r.agentId() != null) return;
            JsonNode d = r.data();
            JsonNode seq = d.get("anchored_seq");
            JsonNode hash = d.get("anchored_hash");
            JsonNode sig = d.get("signature");
            JsonNode keyId = d.get("key_id");
            if (seq == null || !seq.canConvertToLong() || hash == null || !hash.isString() || sig == null
                    || !sig.isString() || keyId == null || !keyId.isString()) {
                throw new RecordDefect("anchor record without anchored_seq, anchored_hash, key_id and signature");
            }
            if (seq.longValue() != r.seq() - 1 || !hash.stringValue().equals(r.prev())) {
                throw new RecordDefect("anchor does not pin the record before it");
            }
            anchors++;
            if (anchorKey != null) {
                if (!AnchorSigner.keyId(anchorKey).equals(keyId.stringValue())) {
                    throw new RecordDefect("anchor signed by key " + keyId.stringValue() + ", not by the given key "
                            + AnchorSigner.keyId(anchorKey));
                }
                if (!AnchorSigner.verify(anchorKey, seq.longValue(), hash.stringValue(), sig.stringValue())) {
                    throw new RecordDefect("anchor signature does not verify");
                }
                anchorsVerified++;
            }
        }

        VerifyReport.Valid valid(int segments, HeadStatus head) {
            return new VerifyReport.Valid(records, Math.max(firstSeq, 0), headSeq, headHash, segments, anchors,
                    anchorsVerified, head);
        }
    }
}
