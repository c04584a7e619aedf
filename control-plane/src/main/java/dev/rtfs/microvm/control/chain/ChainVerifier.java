package dev.rtfs.microvm.control.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Checks a chain directory (all segments from seq 1) or one segment file: every record valid on its own, seqs
 * contiguous, every {@code prev} equal to the previous hash, segment names matching their first record, anchors
 * consistent (and signed by {@code anchorKey} when one is given). Stops at, and names, the first bad record.
 */
public final class ChainVerifier {

    private ChainVerifier() {}

    public static VerifyReport verify(Path fileOrDir, PublicKey anchorKey) throws IOException {
        return verify(fileOrDir, anchorKey, r -> { });
    }

    /** As {@link #verify(Path, PublicKey)}, handing each good record to {@code sink} in order. */
    public static VerifyReport verify(Path fileOrDir, PublicKey anchorKey, Consumer<ChainRecord> sink)
            throws IOException {
        Walk walk = new Walk(anchorKey, sink);
        if (Files.isDirectory(fileOrDir)) {
            List<Segments.Segment> segments = Segments.list(fileOrDir);
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
            return walk.valid(segments.size());
        }
        if (!Files.isRegularFile(fileOrDir)) {
            throw new IOException(Files.exists(fileOrDir) ? "not a segment file or chain directory" : "no such file or directory");
        }
        return walk.segment(fileOrDir, new SegmentLines(fileOrDir));
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
            return bad != null ? bad : valid(1);
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

        VerifyReport.Valid valid(int segments) {
            return new VerifyReport.Valid(records, Math.max(firstSeq, 0), headSeq, headHash, segments, anchors,
                    anchorsVerified);
        }
    }
}
