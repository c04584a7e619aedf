package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.AnchorSigner;
import dev.rtfs.microvm.controlplane.chain.ChainEntry;
import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.HostKey;
import dev.rtfs.microvm.controlplane.chain.Origin;
import dev.rtfs.microvm.controlplane.chain.Segments;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code rtfs-microvm chain verify|show|key}: verdicts, the first bad seq, the signed head, formats, exit codes. */
class ChainCommandTest {
    @TempDir Path dir;
    private Path chain;
    private Path hostKey;
    private AnchorSigner key;
    private AnchorSigner signer;
    private String head;

    @BeforeEach
    void writeChain() throws Exception {
        chain = dir.resolve("chain");
        hostKey = dir.resolve("state/chain-key");
        key = HostKey.loadOrCreate(hostKey);
        signer = AnchorSigner.generate();
        try (ChainStore store = ChainStore.open(chain, ChainOptions.defaults().withAnchors(signer, 3).withHeadSigner(key))) {
            for (int i = 1; i <= 4; i++) head = store.append(entry(i)).join().hash();
        }
    }

    private static ChainEntry entry(int i) {
        return new ChainEntry("tool.call", "agent.a", "plan-1", "s" + i, JsonNodeFactory.instance.objectNode().put("i", i),
                new Origin("agent.a/b", i));
    }

    private CliRun verify(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "chain";
        all[1] = "verify";
        all[2] = "--chain-key";
        all[3] = hostKey.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    @Test
    void verifyValidChainPrintsCountAndHead() throws Exception {
        CliRun r = verify(chain.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid: 5 record(s), seq 1..5 in 1 segment(s)").contains("head: seq 5 hash " + head)
                .contains("signed head: seq 5, key " + AnchorSigner.keyId(key.publicKey())
                        + ", signature verified with host key " + HostKey.publicKeyPath(hostKey))
                .contains("anchors: 1, signatures not checked");
        Path pem = dir.resolve("anchor.pem");
        Files.writeString(pem, AnchorSigner.publicKeyPem(signer.publicKey()));
        CliRun keyed = verify("--anchor-key", pem.toString(), Segments.path(chain, 1).toString());
        assertThat(keyed.exit()).isZero();
        assertThat(keyed.out()).as("one segment has no head: never called valid").startsWith("segment intact: 5 record(s)")
                .contains("signed head: not checked (a single segment").contains("anchors: 1, 1 signature(s) verified");
        Files.writeString(pem, AnchorSigner.publicKeyPem(AnchorSigner.generate().publicKey()));
        CliRun wrongKey = verify("--anchor-key", pem.toString(), chain.toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("chain invalid at seq 4: anchor signed by key");
    }

    @Test
    void verifyReportsWhatTheSignedHeadSaysIsMissing() throws Exception {
        Path seg = Segments.path(chain, 1);
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(seg));
        lines.removeLast();
        Files.write(seg, lines);
        CliRun truncated = verify(chain.toString());
        assertThat(truncated.exit()).isEqualTo(1);
        assertThat(truncated.out()).isEmpty();
        assertThat(truncated.err()).startsWith("error: chain invalid: head signed at seq 5 (hash " + head.substring(0, 12))
                .contains("but the chain ends at seq 4: 1 record(s) removed (" + chain.resolve("HEAD") + ")");
        Files.delete(seg);
        assertThat(verify(chain.toString()).err()).contains("the chain ends at seq 0 (no records): 5 record(s) removed");
        Files.delete(chain.resolve("HEAD"));
        CliRun emptied = verify(chain.toString());
        assertThat(emptied.exit()).as("an empty directory is not a valid chain").isEqualTo(1);
        assertThat(emptied.err()).contains("no segment files and no signed HEAD: not a causal chain");
    }

    @Test
    void verifyWithKeyChecksAChainCopiedToAnotherMachine() throws Exception {
        CliRun exported = run("chain", "key", "--chain-key", hostKey.toString());
        assertThat(exported.exit()).isZero();
        assertThat(exported.out()).startsWith("-----BEGIN PUBLIC KEY-----").doesNotContain("PRIVATE");
        assertThat(exported.err()).contains("key id " + AnchorSigner.keyId(key.publicKey()));
        Path pub = Files.writeString(dir.resolve("host.pub"), exported.out());
        Path copy = dir.resolve("elsewhere/chain");
        Files.createDirectories(copy);
        try (var files = Files.list(chain)) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, copy.resolve(f.getFileName()));
        }
        CliRun r = run("chain", "verify", "--key", pub.toString(), "--chain-key", dir.resolve("no/key").toString(),
                copy.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid: 5 record(s)").contains("signature verified with " + pub);
        Path other = Files.writeString(dir.resolve("other.pub"), AnchorSigner.publicKeyPem(AnchorSigner.generate().publicKey()));
        CliRun wrong = run("chain", "verify", "--key", other.toString(), copy.toString());
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("HEAD is signed by key " + AnchorSigner.keyId(key.publicKey()) + ", not by the expected key");
    }

    @Test
    void withoutAKeyVerifyDoesNotCallTheChainValidUnlessTheSignatureIsWaived() throws Exception {
        Path nowhere = dir.resolve("other-home/chain-key");
        CliRun r = run("chain", "verify", "--chain-key", nowhere.toString(), chain.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("cannot check the signed head of " + chain + ": no --key given and no host key at "
                + nowhere + ".pub").contains("--no-signature");
        CliRun waived = run("chain", "verify", "--chain-key", nowhere.toString(), "--no-signature", chain.toString());
        assertThat(waived.exit()).isZero();
        assertThat(waived.out()).startsWith("records valid (signature NOT checked: --no-signature): 5 record(s)")
                .contains("signature not checked").doesNotContain("valid: ");
        // Waiving the signature still compares HEAD with the records.
        Files.delete(Segments.path(chain, 1));
        assertThat(run("chain", "verify", "--no-signature", chain.toString()).exit()).isEqualTo(1);
    }

    @Test
    void recordsAfterTheSignedHeadExit3WithAWarning() throws Exception {
        // A crash between a commit and the head update: HEAD still names seq 5 when seq 6 and 7 are on disk.
        byte[] headAt5 = Files.readAllBytes(chain.resolve("HEAD"));
        try (ChainStore store = ChainStore.open(chain, ChainOptions.defaults().withHeadSigner(key))) {
            store.append(entry(5)).join();
            store.append(entry(6)).join();
        }
        Files.write(chain.resolve("HEAD"), headAt5);
        CliRun r = verify(chain.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).startsWith("intact, but not all signed: 7 record(s), seq 1..7").contains("signed head: seq 5, key ");
        assertThat(r.err()).contains("warning: 2 record(s) after the signed head (seq 6..7) are intact but not signed")
                .contains("nothing was removed");
    }

    @Test
    void verifyNamesTheFirstBadSeq() throws Exception {
        Path seg = Segments.path(chain, 1);
        String text = Files.readString(seg);
        Files.writeString(seg, text.replace("\"i\":2", "\"i\":9"));
        CliRun r = verify(chain.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: chain invalid at seq 2: hash mismatch").contains("00000000000000000001.seg byte ")
                .contains("1 record(s) before it are valid");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void showPrintsTextAndJson() throws Exception {
        CliRun text = run("chain", "show", chain.toString());
        assertThat(text.exit()).isZero();
        assertThat(text.out().lines()).hasSize(5);
        assertThat(text.out().lines().findFirst().orElseThrow()).startsWith("1  ").contains("tool.call")
                .contains("agent=agent.a plan=plan-1 step=s1").contains("{\"i\":1}");
        CliRun json = run("chain", "show", chain.toString(), "--format", "json");
        assertThat(json.exit()).isZero();
        JsonNode array = JsonMapper.builder().build().readTree(json.out());
        assertThat(array.size()).isEqualTo(5);
        assertThat(array.get(4).get("hash").stringValue()).isEqualTo(head);
        assertThat(array.get(3).get("kind").stringValue()).isEqualTo("chain.anchor");
        assertThat(array.get(0).get("origin").get("stream").stringValue()).isEqualTo("agent.a/b");
    }

    @Test
    void showStopsAtTheFirstBadRecordWithExit1() throws Exception {
        Path seg = Segments.path(chain, 1);
        byte[] bytes = Files.readAllBytes(seg);
        Files.write(seg, java.util.Arrays.copyOf(bytes, bytes.length - 5)); // torn last record
        CliRun r = run("chain", "show", "--format", "json", chain.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(JsonMapper.builder().build().readTree(r.out()).size()).isEqualTo(4);
        assertThat(r.err()).contains("seq 5: torn record");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(run("chain", "verify", dir.resolve("missing").toString()).exit()).isEqualTo(2);
        assertThat(run("chain", "show", chain.toString(), "--format", "xml").exit()).isEqualTo(2);
        assertThat(run("chain").exit()).isEqualTo(2);
        CliRun badKey = run("chain", "verify", "--anchor-key", chain.toString(), chain.toString());
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).startsWith("error: cannot read anchor key");
        CliRun both = run("chain", "verify", "--key", hostKey + ".pub", "--no-signature", chain.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("contradict");
        CliRun notAKey = run("chain", "verify", "--key", Segments.path(chain, 1).toString(), chain.toString());
        assertThat(notAKey.exit()).isEqualTo(2);
        assertThat(notAKey.err()).startsWith("error: cannot read the key: ").contains("not an Ed25519 PEM public key");
    }

    @Test
    void deviceIsRefusedWithTheRightReasonAndAnEmptyDirectoryIsNotAChain() throws Exception {
        CliRun device = run("chain", "verify", "/dev/null");
        assertThat(device.exit()).isEqualTo(2);
        assertThat(device.err()).isEqualTo("error: cannot read /dev/null: not a segment file or chain directory\n");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a segment");
        CliRun r = verify(empty.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no segment files and no signed HEAD");
        assertThat(verify(chain.toString()).err()).isEmpty();
    }

    @Test
    void keyCreatesTheHostKeyOnFirstUseOwnerOnly() throws Exception {
        Path fresh = dir.resolve("new-home/rtfs-microvm/chain-key");
        CliRun r = run("chain", "key", "--chain-key", fresh.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(HostKey.publicKeyPath(fresh))).isEqualTo(r.out());
        assertThat(run("chain", "key", "--chain-key", fresh.toString()).out()).as("reused, not replaced").isEqualTo(r.out());
    }

    @Test
    void showEscapesControlCharactersAGuestPutInItsRecords() throws Exception {
        Path evil = dir.resolve("evil");
        try (ChainStore store = ChainStore.open(evil, ChainOptions.defaults())) {
            store.append(new ChainEntry("tool.call\u001b[2J", "agent.a", "plan-1", "s\u001b[31m\nseq 99 forged",
                    JsonNodeFactory.instance.objectNode().put("i", "\u009b31m\u202e"), new Origin("agent.a/b", 1))).join();
        }
        var r = run("chain", "show", evil.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).hasSize(1);
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u009b").doesNotContain("\u202e")
                .contains("tool.call\\u001b[2J").contains("step=s\\u001b[31m\\u000aseq 99 forged")
                .contains("\\u009b31m\\u202e");
    }
}
