package dev.rtfs.microvm.controlplane.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ChainStoreTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir Path dir;

    static ChainEntry entry(int i) {
        ObjectNode data = F.objectNode();
        data.put("z", i).put("a", "ünïcødé \"quoted\" \n line").put("f", 1.5e20).put("neg", -0.001);
        data.putObject("nested").put("y", true).put("b", 1).putNull("n");
        data.putArray("list").add(3).add("x").add(2.0);
        return new ChainEntry("tool.call", "agent.a", "plan-1", "s" + (i % 3), data, new Origin("agent.a/boot", i));
    }

    static List<ChainRecord> records(Path dir) throws Exception {
        List<ChainRecord> out = new ArrayList<>();
        VerifyReport r = ChainVerifier.verify(dir, null, out::add);
        assertThat(r).as("verify %s", r).isInstanceOf(VerifyReport.Valid.class);
        return out;
    }

    @Test
    void concurrentAppendsAreDurableChainedAndVerify() throws Exception {
        List<CompletableFuture<Appended>> futures = new ArrayList<>();
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int base = t * 250;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 1; i <= 250; i++) {
                        synchronized (futures) {
                            futures.add(store.append(new ChainEntry("k", "agent.a", null, null, F.objectNode().put("i", base + i), null)));
                        }
                    }
                }));
            }
            for (Thread t : threads) t.join();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            assertThat(store.head().seq()).isEqualTo(1000);
        }
        List<ChainRecord> recs = records(dir);
        assertThat(recs).hasSize(1000);
        assertThat(recs.getFirst().prev()).isEqualTo(RecordFormat.GENESIS);
        for (int i = 1; i < recs.size(); i++) assertThat(recs.get(i).prev()).isEqualTo(recs.get(i - 1).hash());
        assertThat(futures.stream().map(f -> f.join().seq()).distinct()).hasSize(1000);
    }

    @Test
    void storedLineIsCanonicalAndHashMatchesSha256OfTheOtherFields() throws Exception {
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            store.append(entry(1)).join();
        }
        String line = Files.readString(Segments.path(dir, 1)).strip();
        ObjectNode node = (ObjectNode) CanonicalJson.parse(line.getBytes(StandardCharsets.UTF_8));
        assertThat(line).startsWith("{\"agent_id\":\"agent.a\",\"data\":{\"a\":").doesNotContain(": ").doesNotContain(", ");
        String hash = node.remove("hash").stringValue();
        byte[] canonical = CanonicalJson.bytes(node);
        assertThat(hash).isEqualTo(java.util.HexFormat.of().formatHex(RecordFormat.sha256().digest(canonical)));
        assertThat(new String(canonical, StandardCharsets.UTF_8)).contains("\"nested\":{\"b\":1,\"n\":null,\"y\":true}");
    }

    @Test
    void reopenContinuesTheChainAndKnowsDurableOrigins() throws Exception {
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            for (int i = 1; i <= 10; i++) store.append(entry(i));
            store.append(entry(10)).join();
        }
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            assertThat(store.head().seq()).isEqualTo(10);
            assertThat(store.lastDurableOriginSeq("agent.a/boot")).isEqualTo(10);
            Appended dup = store.append(entry(7)).join();
            assertThat(dup.duplicate()).isTrue();
            assertThat(store.append(entry(11)).join().seq()).isEqualTo(11);
        }
        assertThat(records(dir)).extracting(r -> r.origin().seq()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void rotatesSegmentsBySizeAndVerifiesAcrossThem() throws Exception {
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults().withSegmentBytes(8192))) {
            CompletableFuture<Appended> last = null;
            for (int i = 1; i <= 300; i++) last = store.append(entry(i));
            last.join();
        }
        List<Segments.Segment> segs = Segments.list(dir);
        assertThat(segs.size()).isGreaterThan(5);
        for (Segments.Segment s : segs) assertThat(Files.size(s.path())).isLessThanOrEqualTo(8192);
        VerifyReport r = ChainVerifier.verify(dir, null);
        assertThat(r).isInstanceOfSatisfying(VerifyReport.Valid.class, v -> {
            assertThat(v.records()).isEqualTo(300);
            assertThat(v.segments()).isEqualTo(segs.size());
        });
    }

    @Test
    void reopenCutsOnlyATornTail() throws Exception {
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            for (int i = 1; i <= 5; i++) store.append(entry(i)).join();
        }
        Path seg = Segments.path(dir, 1);
        long goodSize = Files.size(seg);
        String whole = Files.readString(seg);
        String partial = whole.lines().toList().get(2).substring(0, 40);
        Files.writeString(seg, partial, StandardOpenOption.APPEND);
        assertThat(ChainVerifier.verify(dir, null)).isInstanceOfSatisfying(VerifyReport.Invalid.class,
                i -> assertThat(i.seq()).isEqualTo(6));
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            assertThat(Files.size(seg)).isEqualTo(goodSize);
            assertThat(store.head().seq()).isEqualTo(5);
            assertThat(store.append(entry(6)).join().seq()).isEqualTo(6);
        }
        assertThat(records(dir)).hasSize(6);
    }

    @Test
    void refusesToOpenWhenARecordBeforeTheTailIsDamaged() throws Exception {
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            for (int i = 1; i <= 5; i++) store.append(entry(i)).join();
        }
        Path seg = Segments.path(dir, 1);
        byte[] bytes = Files.readAllBytes(seg);
        int second = indexOfNth(bytes, (byte) '\n', 0) + 10;
        bytes[second] ^= 0x01;
        Files.write(seg, bytes);
        assertThatThrownBy(() -> ChainStore.open(dir, ChainOptions.defaults()))
                .isInstanceOfSatisfying(ChainCorruptedException.class, e -> assertThat(e.seq()).isEqualTo(2));
        assertThat(Files.readAllBytes(seg)).isEqualTo(bytes); // nothing was cut
    }

    @Test
    void anchorsAreSignedAndCheckedWithTheKey() throws Exception {
        AnchorSigner signer = AnchorSigner.generate();
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults().withAnchors(signer, 10))) {
            CompletableFuture<Appended> last = null;
            for (int i = 1; i <= 35; i++) last = store.append(entry(i));
            last.join();
        }
        assertThat(ChainVerifier.verify(dir, signer.publicKey())).isInstanceOfSatisfying(VerifyReport.Valid.class, v -> {
            assertThat(v.records()).isEqualTo(38);
            assertThat(v.anchors()).isEqualTo(3);
            assertThat(v.anchorsVerified()).isEqualTo(3);
        });
        assertThat(ChainVerifier.verify(dir, AnchorSigner.generate().publicKey()))
                .isInstanceOfSatisfying(VerifyReport.Invalid.class, i -> {
                    assertThat(i.seq()).isEqualTo(11);
                    assertThat(i.reason()).contains("not by the given key");
                });
        Path pem = dir.resolveSibling("anchor.pub");
        Files.writeString(pem, AnchorSigner.publicKeyPem(signer.publicKey()));
        assertThat(AnchorSigner.readPublicKey(pem)).isEqualTo(signer.publicKey());
    }

    @Test
    void refusesDataThatCannotBeCanonical() throws Exception {
        try (ChainStore store = ChainStore.open(dir, ChainOptions.defaults())) {
            CompletableFuture<Appended> f = store.append(
                    new ChainEntry("k", "a", null, null, F.objectNode().put("x", Double.NaN), null));
            assertThat(f).isCompletedExceptionally();
            ObjectNode decimals = F.objectNode().put("d", new java.math.BigDecimal("1E+2")).put("f", 0.1f);
            assertThat(store.append(new ChainEntry("k", "a", null, null, decimals, null)).join().seq()).isEqualTo(1);
        }
        assertThat(records(dir)).hasSize(1);
    }

    static int indexOfNth(byte[] bytes, byte b, int n) {
        for (int i = 0; i < bytes.length; i++) if (bytes[i] == b && n-- == 0) return i;
        return -1;
    }
}
