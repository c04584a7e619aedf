package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Append-only, hash-chained, durable event log in segment files.
 *
 * <p>Appenders encode their entry on their own thread and queue it; one writer thread takes everything queued,
 * assigns seq/prev/ts, hashes, writes the batch and calls {@code force} once (group commit). An append's future
 * completes only after the force that covers its record returned, so "acknowledged" always means "durable".
 *
 * <p>With {@link ChainOptions#headSigner} the new head is signed into {@code HEAD} (atomically: temp file, force,
 * rename, force the directory) after every group commit and before any of its appends completes, so the signed head
 * always covers every acknowledged record. A crash between a commit and the head update leaves records after the
 * signed head; they were never acknowledged, and the next commit signs them.
 *
 * <p>{@link #open} walks the existing chain; a damaged record followed by nothing valid is a torn write that was
 * never acknowledged and is cut off (and logged); a damaged record with valid records after it is corruption and
 * opening fails with the seq, file and offset.
 *
 * <p>Size: one class because the writer thread, the group commit, the head signing and the open-time walk share one
 * lock and one segment state; split, the "acknowledged means durable" invariant would span files.
 */
public final class ChainStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainStore.class);
    private static final int QUEUE_CAPACITY = 1 << 16;

    private record Pending(RecordFormat.Prepared prepared, CompletableFuture<Appended> future) {}

    private final Path dir;
    private final ChainOptions options;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<String, Long> durableOrigins = new ConcurrentHashMap<>();
    private final Thread writer;
    private volatile ChainHead durableHead;
    private volatile Throwable failure;
    private volatile boolean closed;

    // Writer-thread state.
    private final Map<String, Long> assignedOrigins = new HashMap<>();
    private final RecordFormat.Writer encoder;
    private FileChannel segment;
    private long segmentSize;
    private long nextSeq;
    private String prevHash;
    private long sinceAnchor;
    private ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);

    private ChainStore(Path dir, ChainOptions options, Recovery recovered) {
        this.dir = dir;
        this.options = options;
        this.encoder = new RecordFormat.Writer(options.hashing());
        this.nextSeq = recovered.head.seq() + 1;
        this.prevHash = recovered.head.hash();
        this.durableHead = recovered.head;
        this.durableOrigins.putAll(recovered.origins);
        this.assignedOrigins.putAll(recovered.origins);
        this.segment = recovered.lastSegment;
        this.segmentSize = recovered.lastSegmentSize;
        this.writer = Thread.ofPlatform().name("chain-writer-" + dir.getFileName()).daemon().unstarted(this::writeLoop);
    }

    /**
     * Opens (creating if needed) the chain in {@code dir}, recovering from a crash as described above. With a head
     * signer, a new chain gets a signed {@code HEAD} at seq 0 before its first record, and an existing chain must
     * carry a HEAD signed by the same key whose seq and hash are in the chain: appending to a chain that lost records
     * would sign over the loss.
     */
    public static ChainStore open(Path dir, ChainOptions options) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        AnchorSigner headSigner = options.headSigner();
        SignedHead signed = headSigner == null ? null : readOwnHead(dir, headSigner);
        Recovery r = Recovery.run(dir, options.hashing(), signed == null ? -1 : signed.seq());
        if (headSigner != null) {
            try {
                checkHead(dir, headSigner, signed, r);
            } catch (IOException | RuntimeException e) {
                if (r.lastSegment() != null) r.lastSegment().close();
                throw e;
            }
        }
        ChainStore store = new ChainStore(dir, options, r);
        store.writer.start();
        return store;
    }

    /** HEAD, which must be signed by {@code key}; null for a new chain (no HEAD, no segments). */
    private static SignedHead readOwnHead(Path dir, AnchorSigner key) throws IOException {
        Path file = SignedHead.path(dir);
        java.util.Optional<SignedHead> head;
        try {
            head = SignedHead.read(dir);
        } catch (RecordDefect e) {
            throw new ChainCorruptedException(0, file, 0, e.getMessage());
        }
        if (head.isEmpty()) {
            if (!Segments.list(dir).isEmpty()) {
                throw new ChainCorruptedException(0, file, 0, "the chain has records but no signed HEAD");
            }
            return null;
        }
        if (!head.get().verifiedBy(key.publicKey())) {
            throw new ChainCorruptedException(head.get().seq(), file, 0, "HEAD is not signed by this host's chain key "
                    + AnchorSigner.keyId(key.publicKey()) + " (key id in HEAD: " + head.get().keyId() + ")");
        }
        return head.get();
    }

    /** The recovered chain must contain the signed head; a new chain gets its seq-0 head now. */
    private static void checkHead(Path dir, AnchorSigner key, SignedHead signed, Recovery r) throws IOException {
        Path file = SignedHead.path(dir);
        if (signed == null) {
            SignedHead.sign(key, r.head()).write(dir);
            return;
        }
        if (signed.seq() > r.head().seq()) {
            throw new ChainCorruptedException(r.head().seq() + 1, file, 0, "head signed at " + signed.describe()
                    + " but the chain ends at seq " + r.head().seq() + ": " + (signed.seq() - r.head().seq())
                    + " record(s) removed");
        }
        if (!signed.hash().equals(r.pinnedHash())) {
            throw new ChainCorruptedException(signed.seq(), file, 0, "head signed at " + signed.describe()
                    + " but record " + signed.seq() + " has another hash: the chain was rewritten");
        }
        if (signed.seq() < r.head().seq()) {
            LOG.warn("causal chain {}: {} record(s) after the signed head at seq {} were never signed (a crash between "
                    + "a commit and the head update); the next commit signs them", dir, r.head().seq() - signed.seq(),
                    signed.seq());
        }
    }

    public Path directory() {
        return dir;
    }

    /**
     * Queues an entry; the future completes once the record is durable, or exceptionally when the store failed or
     * closed. An entry whose origin (stream, seq) is already in the chain is not written again.
     */
    public CompletableFuture<Appended> append(ChainEntry entry) {
        CompletableFuture<Appended> future = new CompletableFuture<>();
        if (closed || failure != null) return failed(future);
        RecordFormat.Prepared prepared;
        try {
            prepared = RecordFormat.prepare(entry, options.hashing());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return future;
        }
        try {
            queue.put(new Pending(prepared, future));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(e);
            return future;
        }
        if (closed && !writer.isAlive()) failQueued();
        return future;
    }

    public ChainHead head() {
        return durableHead;
    }

    /** Highest durable origin seq of a sender stream, 0 when none. */
    public long lastDurableOriginSeq(String stream) {
        return durableOrigins.getOrDefault(stream, 0L);
    }

    /** Completes once every queued record is durable; then stops the writer and closes the segment. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued();
        if (segment != null) segment.close();
    }

    private CompletableFuture<Appended> failed(CompletableFuture<Appended> future) {
        future.completeExceptionally(failure != null
                ? new IOException("causal chain store failed", failure)
                : new IOException("causal chain store is closed"));
        return future;
    }

    private void failQueued() {
        Pending p;
        while ((p = queue.poll()) != null) failed(p.future());
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        boolean[] duplicate = new boolean[options.maxBatch()];
        while (true) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                if (closed) break;
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, options.maxBatch() - 1);
            try {
                String[] hashes = new String[batch.size()];
                long[] seqs = writeBatch(batch, duplicate, hashes);
                ChainHead head = new ChainHead(nextSeq - 1, prevHash);
                // Acknowledged means durable and signed: the head covers every record of this commit.
                if (options.headSigner() != null && head.seq() != durableHead.seq()) {
                    SignedHead.sign(options.headSigner(), head).write(dir);
                }
                durableHead = head;
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    Origin o = p.prepared().entry().origin();
                    if (duplicate[i]) {
                        p.future().complete(new Appended(head.seq(), head.hash(), true));
                    } else {
                        if (o != null) durableOrigins.merge(o.stream(), o.seq(), Math::max);
                        p.future().complete(new Appended(seqs[i], hashes[i], false));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("causal chain {}: write failed; no further appends are accepted", dir, e);
                failure = e;
                for (Pending p : batch) failed(p.future());
                failQueued();
                closed = true;
                break;
            }
            batch.clear();
        }
    }

    /** Writes and forces one batch; returns the seq assigned to each entry (0 for duplicates). */
    private long[] writeBatch(List<Pending> batch, boolean[] duplicate, String[] hashes) throws IOException {
        long ts = options.clock().millis();
        long[] seqs = new long[batch.size()];
        out.clear();
        for (int i = 0; i < batch.size(); i++) {
            RecordFormat.Prepared p = batch.get(i).prepared();
            Origin o = p.entry().origin();
            duplicate[i] = o != null && o.seq() <= assignedOrigins.getOrDefault(o.stream(), 0L);
            if (duplicate[i]) continue;
            seqs[i] = writeRecord(p, ts);
            hashes[i] = prevHash;
            if (o != null) assignedOrigins.put(o.stream(), o.seq());
            if (options.anchorEvery() > 0 && ++sinceAnchor >= options.anchorEvery()) {
                writeRecord(RecordFormat.prepare(anchorEntry(), options.hashing()), ts);
                sinceAnchor = 0;
            }
        }
        flushOut();
        if (segment != null) segment.force(false);
        return seqs;
    }

    private ChainEntry anchorEntry() {
        long anchoredSeq = nextSeq - 1;
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("alg", "Ed25519").put("key_id", AnchorSigner.keyId(options.signer().publicKey()))
                .put("anchored_seq", anchoredSeq).put("anchored_hash", prevHash)
                .put("signature", options.signer().sign(anchoredSeq, prevHash));
        return new ChainEntry(AnchorSigner.KIND, null, null, null, data, null);
    }

    private long writeRecord(RecordFormat.Prepared p, long ts) throws IOException {
        long seq = nextSeq;
        String hash = encoder.encode(p, seq, prevHash, ts);
        int len = encoder.length();
        long inSegment = segmentSize + out.position();
        if (segment == null || (inSegment > 0 && inSegment + len > options.segmentBytes())) {
            rotate(seq);
        }
        if (out.remaining() < len) {
            flushOut();
            if (out.capacity() < len) out = ByteBuffer.allocateDirect(len);
        }
        out.put(encoder.buffer(), 0, len);
        nextSeq = seq + 1;
        prevHash = hash;
        return seq;
    }

    private void flushOut() throws IOException {
        out.flip();
        while (out.hasRemaining()) segmentSize += segment.write(out);
        out.clear();
    }

    /** Closes the current segment durably and starts a new one named after its first seq. */
    private void rotate(long firstSeq) throws IOException {
        if (segment != null) {
            flushOut();
            segment.force(false);
            segment.close();
        }
        Path file = Segments.path(dir, firstSeq);
        segment = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segmentSize = 0;
        forceDirectory(dir);
        LOG.debug("causal chain {}: new segment {}", dir, file.getFileName());
    }

    static void forceDirectory(Path dir) throws IOException {
        // The new file's directory entry must be durable too, or a crash could lose a whole acknowledged segment.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Walks the existing chain once at open. */
    private record Recovery(ChainHead head, Map<String, Long> origins, FileChannel lastSegment, long lastSegmentSize,
                            String pinnedHash) {

        /** @param pinnedSeq the seq whose hash to remember ({@code pinnedHash}; null when the chain has no such seq) */
        static Recovery run(Path dir, boolean hashing, long pinnedSeq) throws IOException {
            List<Segments.Segment> segments = Segments.list(dir);
            ChainWalker walker = new ChainWalker(1, RecordFormat.GENESIS);
            Map<String, Long> origins = new HashMap<>();
            String pinnedHash = pinnedSeq == 0 ? RecordFormat.GENESIS : null;
            long goodEnd = 0;
            for (int i = 0; i < segments.size(); i++) {
                Segments.Segment seg = segments.get(i);
                boolean last = i == segments.size() - 1;
                if (seg.firstSeq() != walker.expectedSeq()) {
                    throw new ChainCorruptedException(walker.expectedSeq(), seg.path(), 0,
                            "segment starts at seq " + seg.firstSeq() + " but seq " + walker.expectedSeq() + " is next");
                }
                goodEnd = 0;
                try (SegmentLines lines = new SegmentLines(seg.path())) {
                    SegmentLines.Line line;
                    while ((line = lines.next()) != null) {
                        String defect = null;
                        if (!line.terminated()) defect = "torn record (no newline)";
                        else if (line.bytes() == null) defect = "record longer than " + RecordFormat.MAX_RECORD_BYTES + " bytes";
                        else if (hashing) {
                            try {
                                ChainRecord r = walker.next(line.bytes());
                                if (r.origin() != null) origins.merge(r.origin().stream(), r.origin().seq(), Math::max);
                                if (r.seq() == pinnedSeq) pinnedHash = r.hash();
                            } catch (RecordDefect e) {
                                defect = e.getMessage();
                            }
                        } else {
                            walker = new ChainWalker(walker.expectedSeq() + 1, RecordFormat.GENESIS);
                        }
                        if (defect != null) {
                            if (last && nothingValidAfter(seg.path(), line)) {
                                truncate(seg.path(), line.offset(), walker.expectedSeq() - 1, defect);
                                break;
                            }
                            throw new ChainCorruptedException(walker.expectedSeq(), seg.path(), line.offset(), defect);
                        }
                        goodEnd = line.offset() + line.length() + 1;
                    }
                }
            }
            if (segments.isEmpty()) return new Recovery(new ChainHead(0, RecordFormat.GENESIS), origins, null, 0, pinnedHash);
            Path lastPath = segments.getLast().path();
            FileChannel ch = FileChannel.open(lastPath, StandardOpenOption.WRITE);
            ch.position(goodEnd);
            String prev = walker.expectedPrev() == null ? RecordFormat.GENESIS : walker.expectedPrev();
            return new Recovery(new ChainHead(walker.expectedSeq() - 1, prev), origins, ch, goodEnd, pinnedHash);
        }

        /** True when no complete, self-consistent record follows the damaged line: the damage is a torn tail. */
        private static boolean nothingValidAfter(Path file, SegmentLines.Line damaged) throws IOException {
            try (SegmentLines lines = new SegmentLines(file)) {
                SegmentLines.Line line;
                while ((line = lines.next()) != null) {
                    if (line.offset() <= damaged.offset() || !line.terminated() || line.bytes() == null) continue;
                    try {
                        RecordFormat.parse(line.bytes());
                        return false;
                    } catch (RecordDefect e) {
                        // still part of the torn region
                    }
                }
            }
            return true;
        }

        private static void truncate(Path file, long offset, long lastGoodSeq, String defect) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                long size = ch.size();
                ch.truncate(offset);
                ch.force(true);
                LOG.warn("causal chain {}: cut a torn tail of {} bytes at offset {} after seq {} ({}); it was never "
                        + "acknowledged", file, size - offset, offset, lastGoodSeq, defect);
            }
        }
    }
}
