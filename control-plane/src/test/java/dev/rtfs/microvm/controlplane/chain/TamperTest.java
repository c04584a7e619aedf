package dev.rtfs.microvm.controlplane.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any single-byte change, a deleted record or two swapped records make verify name the first affected seq. */
class TamperTest {
    private static final int RECORDS = 4;

    @TempDir Path dir;
    private Path segment;
    private byte[] original;
    private List<int[]> lines; // [start, endInclusiveOfNewline]

    @BeforeEach
    void writeChain() throws Exception {
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            for (int i = 1; i <= RECORDS; i++) store.append(ChainStoreTest.entry(i)).join();
        }
        segment = Segments.path(dir, 1);
        original = Files.readAllBytes(segment);
        lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < original.length; i++) {
            if (original[i] == '\n') {
                lines.add(new int[] {start, i});
                start = i + 1;
            }
        }
        assertThat(lines).hasSize(RECORDS);
        assertThat(ChainVerifier.verify(dir, null)).isInstanceOf(VerifyReport.Valid.class);
    }

    private long recordAt(int position) {
        for (int k = 0; k < lines.size(); k++) if (position <= lines.get(k)[1]) return k + 1;
        throw new AssertionError();
    }

    /** In memory for the many single-byte cases; {@link #verifyBrokenOnDisk} checks the file path agrees. */
    private VerifyReport.Invalid verifyBroken(byte[] bytes) throws Exception {
        VerifyReport r = ChainVerifier.verifySegmentBytes(segment, bytes);
        assertThat(r).isInstanceOf(VerifyReport.Invalid.class);
        return (VerifyReport.Invalid) r;
    }

    private VerifyReport.Invalid verifyBrokenOnDisk(byte[] bytes) throws Exception {
        Files.write(segment, bytes);
        VerifyReport r = ChainVerifier.verify(dir, null);
        assertThat(r).isInstanceOf(VerifyReport.Invalid.class);
        return (VerifyReport.Invalid) r;
    }

    @Test
    void flippingAnySingleByteNamesTheRecordHoldingIt() throws Exception {
        // Low bit (stays ASCII), then a random mask per position (high bits break UTF-8).
        SplittableRandom random = new SplittableRandom(Long.getLong("rtfs.fuzz.seed", 7));
        for (int pass = 0; pass < 2; pass++) {
            for (int p = 0; p < original.length; p++) {
                int mask = pass == 0 ? 0x01 : 1 + random.nextInt(255);
                byte[] bytes = original.clone();
                bytes[p] ^= (byte) mask;
                VerifyReport.Invalid bad = p % 97 == 0 ? verifyBrokenOnDisk(bytes) : verifyBroken(bytes);
                assertThat(bad.seq()).as("flip 0x%02x at byte %d: %s", mask, p, bad.reason()).isEqualTo(recordAt(p));
            }
        }
    }

    @Test
    void randomMultiByteDamageNamesTheFirstDamagedRecord() throws Exception {
        long seed = Long.getLong("rtfs.fuzz.seed", System.nanoTime());
        System.out.println("TamperTest seed " + seed + " (-Drtfs.fuzz.seed=" + seed + " to repeat)");
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 1000; round++) {
            byte[] bytes = original.clone();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            // The first byte that differs from the original: a later write may put back what an earlier one changed.
            int first = java.util.Arrays.mismatch(original, bytes);
            if (first < 0) continue;
            VerifyReport.Invalid bad = verifyBroken(bytes);
            assertThat(bad.seq()).as("seed %d round %d", seed, round).isEqualTo(recordAt(first));
        }
    }

    @Test
    void deletingAnyRecordButTheLastNamesItsSeq() throws Exception {
        for (int k = 1; k < RECORDS; k++) {
            int[] line = lines.get(k - 1);
            byte[] bytes = concat(slice(0, line[0]), slice(line[1] + 1, original.length));
            VerifyReport.Invalid bad = verifyBrokenOnDisk(bytes);
            assertThat(bad.seq()).isEqualTo(k);
            assertThat(bad.reason()).contains("missing");
        }
    }

    @Test
    void swappingTwoRecordsNamesTheFirstPosition() throws Exception {
        for (int k = 1; k < RECORDS; k++) {
            int[] a = lines.get(k - 1);
            int[] b = lines.get(k);
            byte[] bytes = concat(slice(0, a[0]), slice(b[0], b[1] + 1), slice(a[0], a[1] + 1), slice(b[1] + 1, original.length));
            assertThat(verifyBrokenOnDisk(bytes).seq()).isEqualTo(k);
        }
    }

    @Test
    void aRecordRewrittenWithAValidHashStillBreaksTheLink() throws Exception {
        // An attacker who recomputes the hash of a changed record breaks the next record's prev instead.
        List<ChainRecord> recs = ChainStoreTest.records(dir);
        ChainRecord r3 = recs.get(2);
        var forged = (tools.jackson.databind.node.ObjectNode) RecordFormat.toJson(r3);
        forged.put("kind", "forged");
        forged.remove("hash");
        String hash = java.util.HexFormat.of().formatHex(RecordFormat.sha256().digest(CanonicalJson.bytes(forged)));
        forged.put("hash", hash);
        byte[] line = CanonicalJson.bytes(forged);
        int[] at = lines.get(2);
        byte[] bytes = concat(slice(0, at[0]), line, slice(at[1], original.length));
        VerifyReport.Invalid bad = verifyBrokenOnDisk(bytes);
        assertThat(bad.seq()).isEqualTo(4);
        assertThat(bad.reason()).contains("broken link");
    }

    @Test
    void aMissingSegmentIsNamed() throws Exception {
        Path rotated = dir.resolve("rotated");
        try (ChainStore store = ChainStore.open(rotated, ChainOptions.defaults().withSegmentBytes(4096))) {
            for (int i = 1; i <= 40; i++) store.append(ChainStoreTest.entry(i)).join();
        }
        List<Segments.Segment> segs = Segments.list(rotated);
        assertThat(segs.size()).isGreaterThan(3);
        Files.delete(segs.get(1).path());
        VerifyReport r = ChainVerifier.verify(rotated, null);
        assertThat(r).isInstanceOfSatisfying(VerifyReport.Invalid.class,
                i -> assertThat(i.seq()).isEqualTo(segs.get(1).firstSeq()));
    }

    private byte[] slice(int from, int to) {
        return java.util.Arrays.copyOfRange(original, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
