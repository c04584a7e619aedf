package dev.rtfs.microvm.controlplane.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The signed HEAD anchors the end of the chain: every way of removing or rewriting records that keeps the segments
 * self-consistent is reported against it, and a crash between a commit and the head update is told apart.
 */
class ChainHeadTest {
    private static final int RECORDS = 30;

    @TempDir Path dir;
    private AnchorSigner key;
    private HeadTrust trust;

    @BeforeEach
    void keys() {
        key = AnchorSigner.generate();
        trust = new HeadTrust.Key(key.publicKey());
    }

    private Path writeChain(Path chain, int records, long segmentBytes) throws Exception {
        try (ChainStore store = ChainStore.open(chain, ChainOptions.defaults().withSegmentBytes(segmentBytes)
                .withHeadSigner(key))) {
            for (int i = 1; i <= records; i++) store.append(ChainStoreTest.entry(i)).join();
        }
        return chain;
    }

    private VerifyReport verify(Path chain) throws Exception {
        return ChainVerifier.verify(chain, trust, null, r -> { });
    }

    private VerifyReport.Invalid invalid(Path chain) throws Exception {
        VerifyReport r = verify(chain);
        assertThat(r).as("%s", r).isInstanceOf(VerifyReport.Invalid.class);
        return (VerifyReport.Invalid) r;
    }

    @Test
    void aChainWrittenWithTheKeyEndsAtItsSignedHead() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        assertThat(verify(chain)).isInstanceOfSatisfying(VerifyReport.Valid.class, v -> {
            assertThat(v.records()).isEqualTo(RECORDS);
            assertThat(v.signed()).isTrue();
            assertThat(((HeadStatus.Signed) v.head()).head().seq()).isEqualTo(RECORDS);
        });
    }

    @Test
    void theHeadIsSignedAfterEveryGroupCommitBeforeTheAppendCompletes() throws Exception {
        Path chain = dir.resolve("chain");
        try (ChainStore store = ChainStore.open(chain, ChainOptions.defaults().withHeadSigner(key))) {
            assertThat(SignedHead.read(chain)).hasValueSatisfying(h -> assertThat(h.seq()).isZero());
            for (int i = 1; i <= 5; i++) {
                Appended a = store.append(ChainStoreTest.entry(i)).join();
                SignedHead h = SignedHead.read(chain).orElseThrow();
                assertThat(h.seq()).isEqualTo(a.seq());
                assertThat(h.hash()).isEqualTo(a.hash());
                assertThat(h.verifiedBy(key.publicKey())).isTrue();
            }
            List<CompletableFuture<Appended>> burst = new ArrayList<>();
            for (int i = 6; i <= 500; i++) burst.add(store.append(ChainStoreTest.entry(i)));
            burst.getLast().join();
            assertThat(SignedHead.read(chain).orElseThrow().seq()).isGreaterThanOrEqualTo(500);
        }
        assertThat(Files.exists(chain.resolve("HEAD.tmp"))).isFalse();
    }

    @Test
    void deletingTheLastRecordIsReportedAsRemoved() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        Path seg = Segments.path(chain, 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(seg));
        lines.removeLast();
        lines.removeLast();
        Files.write(seg, lines);
        // The records alone still look fine: this is what the head is for.
        assertThat(ChainVerifier.verify(chain, null)).isInstanceOf(VerifyReport.Valid.class);
        VerifyReport.Invalid bad = invalid(chain);
        assertThat(bad.seq()).isEqualTo(RECORDS - 1);
        assertThat(bad.reason()).startsWith("head signed at seq 30 (hash ")
                .endsWith("but the chain ends at seq 28: 2 record(s) removed");
        assertThat(bad.file()).isEqualTo(SignedHead.path(chain));
    }

    @Test
    void deletingTheLastSegmentIsReportedAsRemoved() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 4096);
        List<Segments.Segment> segs = Segments.list(chain);
        assertThat(segs.size()).isGreaterThan(2);
        Files.delete(segs.getLast().path());
        long lost = RECORDS - segs.getLast().firstSeq() + 1;
        assertThat(invalid(chain).reason()).contains("but the chain ends at seq " + (segs.getLast().firstSeq() - 1)
                + ": " + lost + " record(s) removed");
    }

    @Test
    void deletingEverySegmentIsReportedAsRemoved() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 4096);
        for (Segments.Segment s : Segments.list(chain)) Files.delete(s.path());
        assertThat(invalid(chain).reason()).contains("the chain ends at seq 0 (no records): 30 record(s) removed");
    }

    @Test
    void anEmptyDirectoryIsNotAChain() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(invalid(empty).reason()).contains("no segment files and no signed HEAD");
        assertThat(ChainVerifier.verify(empty, new HeadTrust.SignatureWaived(), null, r -> { }))
                .isInstanceOf(VerifyReport.Invalid.class);
    }

    @Test
    void aChainWithoutHeadIsNotValid() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        Files.delete(SignedHead.path(chain));
        assertThat(invalid(chain).reason()).startsWith("no signed HEAD");
        // Only an explicit waiver checks the records alone, and says so.
        assertThat(ChainVerifier.verify(chain, new HeadTrust.SignatureWaived(), null, r -> { }))
                .isInstanceOfSatisfying(VerifyReport.Valid.class, v -> {
                    assertThat(v.signed()).isFalse();
                    assertThat(v.head()).isInstanceOf(HeadStatus.NotChecked.class);
                });
    }

    @Test
    void aChainReHashedFromAChangedRecordOnwardDoesNotMatchTheSignedHead() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        List<ChainRecord> records = ChainStoreTest.records(chain);
        StringBuilder forged = new StringBuilder();
        String prev = RecordFormat.GENESIS;
        for (ChainRecord r : records) {
            ObjectNode node = (ObjectNode) RecordFormat.toJson(r);
            if (r.seq() == 12) ((ObjectNode) node.get("data")).put("z", 999);
            node.put("prev", prev);
            node.remove("hash");
            prev = HexFormat.of().formatHex(RecordFormat.sha256().digest(CanonicalJson.bytes(node)));
            node.put("hash", prev);
            forged.append(new String(CanonicalJson.bytes(node), StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(Segments.path(chain, 1), forged);
        assertThat(ChainVerifier.verify(chain, null)).as("consistent on its own").isInstanceOf(VerifyReport.Valid.class);
        VerifyReport.Invalid bad = invalid(chain);
        assertThat(bad.seq()).isEqualTo(RECORDS);
        assertThat(bad.reason()).contains("head signed at seq 30").contains("the chain was rewritten at or before seq 30");
    }

    @Test
    void aForgedHeadSignatureIsReported() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        SignedHead real = SignedHead.read(chain).orElseThrow();
        // Cut two records and point HEAD at the new end, keeping the key id but not a valid signature.
        Path seg = Segments.path(chain, 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(seg));
        lines.removeLast();
        Files.write(seg, lines);
        ChainRecord last = ChainStoreTest.records(chain).getLast();
        new SignedHead(last.seq(), last.hash(), real.keyId(), real.signature()).write(chain);
        assertThat(invalid(chain).reason()).contains("HEAD signature does not verify").contains("forged or altered");
    }

    @Test
    void aHeadSignedByAnotherKeyIsReported() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        Path seg = Segments.path(chain, 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(seg));
        lines.removeLast();
        Files.write(seg, lines);
        ChainRecord last = ChainStoreTest.records(chain).getLast();
        AnchorSigner attacker = AnchorSigner.generate();
        SignedHead.sign(attacker, new ChainHead(last.seq(), last.hash())).write(chain);
        assertThat(invalid(chain).reason()).startsWith("HEAD is signed by key " + AnchorSigner.keyId(attacker.publicKey())
                + ", not by the expected key " + AnchorSigner.keyId(key.publicKey()));
    }

    @Test
    void aHeadOfAnotherChainIsReported() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        Path other = writeChain(dir.resolve("other"), RECORDS, 64L << 20);
        Files.copy(SignedHead.path(other), SignedHead.path(chain), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(invalid(chain).reason()).contains("or HEAD belongs to another chain");
        Path shorter = writeChain(dir.resolve("shorter"), 10, 64L << 20);
        Files.copy(SignedHead.path(shorter), SignedHead.path(chain), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(invalid(chain).seq()).isEqualTo(10);
    }

    @Test
    void recordsAfterTheSignedHeadAreAnUnsignedTailNotARemoval() throws Exception {
        // A crash between a commit and the head update: the records are there, HEAD still names an earlier one.
        Path chain = writeChain(dir.resolve("chain"), 10, 64L << 20);
        byte[] headAt10 = Files.readAllBytes(SignedHead.path(chain));
        try (ChainStore store = ChainStore.open(chain, ChainOptions.defaults().withHeadSigner(key))) {
            for (int i = 11; i <= 13; i++) store.append(ChainStoreTest.entry(i)).join();
        }
        Files.write(SignedHead.path(chain), headAt10);
        assertThat(verify(chain)).isInstanceOfSatisfying(VerifyReport.Valid.class, v -> {
            assertThat(v.signed()).isFalse();
            assertThat(v.head()).isInstanceOfSatisfying(HeadStatus.UnsignedTail.class, t -> {
                assertThat(t.head().seq()).isEqualTo(10);
                assertThat(t.unsignedRecords()).isEqualTo(3);
                assertThat(t.signatureChecked()).isTrue();
            });
        });
        // Reopening keeps them; the next commit signs the whole chain again.
        try (ChainStore store = ChainStore.open(chain, ChainOptions.defaults().withHeadSigner(key))) {
            assertThat(store.head().seq()).isEqualTo(13);
            store.append(ChainStoreTest.entry(14)).join();
        }
        assertThat(verify(chain)).isInstanceOfSatisfying(VerifyReport.Valid.class, v -> assertThat(v.signed()).isTrue());
    }

    @Test
    void theStoreRefusesToAppendToAChainThatLostSignedRecords() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), RECORDS, 64L << 20);
        Path seg = Segments.path(chain, 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(seg));
        lines.removeLast();
        Files.write(seg, lines);
        byte[] before = Files.readAllBytes(seg);
        assertThatThrownBy(() -> ChainStore.open(chain, ChainOptions.defaults().withHeadSigner(key)))
                .isInstanceOfSatisfying(ChainCorruptedException.class, e -> assertThat(e.getMessage())
                        .contains("1 record(s) removed"));
        assertThatThrownBy(() -> ChainStore.open(chain, ChainOptions.defaults().withHeadSigner(AnchorSigner.generate())))
                .isInstanceOf(ChainCorruptedException.class).hasMessageContaining("not signed by this host's chain key");
        Files.delete(SignedHead.path(chain));
        assertThatThrownBy(() -> ChainStore.open(chain, ChainOptions.defaults().withHeadSigner(key)))
                .isInstanceOf(ChainCorruptedException.class).hasMessageContaining("records but no signed HEAD");
        assertThat(Files.readAllBytes(seg)).isEqualTo(before);
    }

    @Test
    void aDamagedHeadFileIsNamed() throws Exception {
        Path chain = writeChain(dir.resolve("chain"), 3, 64L << 20);
        Files.writeString(SignedHead.path(chain), "{\"seq\":3}");
        VerifyReport.Invalid bad = invalid(chain);
        assertThat(bad.file()).isEqualTo(SignedHead.path(chain));
        assertThat(bad.reason()).contains("HEAD lacks seq, hash");
        Files.write(SignedHead.path(chain), new byte[8192]);
        assertThat(invalid(chain).reason()).contains("larger than 4096 bytes");
    }
}
