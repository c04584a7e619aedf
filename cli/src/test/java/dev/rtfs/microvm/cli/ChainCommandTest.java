package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.control.chain.AnchorSigner;
import dev.rtfs.microvm.control.chain.ChainEntry;
import dev.rtfs.microvm.control.chain.ChainOptions;
import dev.rtfs.microvm.control.chain.ChainStore;
import dev.rtfs.microvm.control.chain.Origin;
import dev.rtfs.microvm.control.chain.Segments;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code rtfs-microvm chain verify|show}: verdicts, the first bad seq, formats and exit codes. */
class ChainCommandTest {
    @TempDir Path dir;
    private Path chain;
    private AnchorSigner signer;
    private String head;

    @BeforeEach
    void writeChain() throws Exception {
        chain = dir.resolve("chain");
        signer = AnchorSigner.generate();
        try (ChainStore store = ChainStore.open(chain, ChainOptions.defaults().withAnchors(signer, 3))) {
            for (int i = 1; i <= 4; i++) {
                head = store.append(new ChainEntry("tool.call", "agent.a", "plan-1", "s" + i,
                        JsonNodeFactory.instance.objectNode().put("i", i), new Origin("agent.a/b", i))).join().hash();
            }
        }
    }

    @Test
    void verifyValidChainPrintsCountAndHead() throws Exception {
        CliRun r = run("chain", "verify", chain.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("valid: 5 record(s), seq 1..5 in 1 segment(s)").contains("head: seq 5 hash " + head)
                .contains("anchors: 1, signatures not checked");
        Path pem = dir.resolve("anchor.pem");
        Files.writeString(pem, AnchorSigner.publicKeyPem(signer.publicKey()));
        CliRun keyed = run("chain", "verify", "--anchor-key", pem.toString(), Segments.path(chain, 1).toString());
        assertThat(keyed.exit()).isZero();
        assertThat(keyed.out()).contains("anchors: 1, 1 signature(s) verified");
        Files.writeString(pem, AnchorSigner.publicKeyPem(AnchorSigner.generate().publicKey()));
        CliRun wrongKey = run("chain", "verify", "--anchor-key", pem.toString(), chain.toString());
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.err()).contains("chain invalid at seq 4: anchor signed by key");
    }

    @Test
    void verifyNamesTheFirstBadSeq() throws Exception {
        Path seg = Segments.path(chain, 1);
        String text = Files.readString(seg);
        Files.writeString(seg, text.replace("\"i\":2", "\"i\":9"));
        CliRun r = run("chain", "verify", chain.toString());
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
    }

    @Test
    void deviceIsRefusedWithTheRightReasonAndAnEmptyDirectoryIsNoted() throws Exception {
        CliRun device = run("chain", "verify", "/dev/null");
        assertThat(device.exit()).isEqualTo(2);
        assertThat(device.err()).isEqualTo("error: cannot read /dev/null: not a segment file or chain directory\n");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a segment");
        CliRun r = run("chain", "verify", empty.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("valid: 0 record(s) in 0 segment(s)");
        assertThat(r.err()).contains("holds no segment files");
        assertThat(run("chain", "verify", chain.toString()).err()).isEmpty();
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
