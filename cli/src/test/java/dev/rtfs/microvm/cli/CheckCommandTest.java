package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code rtfs-microvm check}, driven in-process through {@link Main#run}. */
class CheckCommandTest {

    @TempDir Path dir;

    private String file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p.toString();
    }

    static Path repoRoot() {
        String prop = System.getProperty("rtfs.repo.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "docs"))) return Path.of(prop);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/examples"))) return p;
        }
        throw new IllegalStateException("cannot find the repository root (docs/examples)");
    }

    private static String example() {
        return repoRoot().resolve("docs/examples/agent.config.microvm.rtfs").toString();
    }

    private static String macros() {
        return repoRoot().resolve("docs/rtfs-2.0/specs-incoming/examples/macros.rtfs").toString();
    }

    @Test
    void theExampleConfigPassesWithExactlyItsTwoPlaceholderWarnings() {
        CliRun r = run("check", example());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("warning[EGRESS_TLS_PIN_PLACEHOLDER]", "warning[MICROVM_ATTESTATION_HASH_DEFERRED]")
                .doesNotContain("error[").contains("ok: " + example() + " (0 errors, 2 warnings)")
                .doesNotContain("\u001b[");
    }

    @Test
    void theTlsExampleWarnsThatItsPassthroughDomainIsDlpBlindAndStrictDlpRefusesItWithoutTheWaiver() throws IOException {
        String tls = repoRoot().resolve("docs/examples/agent.config.tls.rtfs").toString();
        CliRun r = run("check", tls);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("warning[EGRESS_PASSTHROUGH_DLP_BLIND]").contains("(0 errors, 3 warnings)");
        Path unwaived = Files.createTempFile("unwaived", ".rtfs");
        try {
            Files.writeString(unwaived, Files.readString(Path.of(tls))
                    .replace(":tls_passthrough_waiver [\"pinned.example.com\"]", ""));
            CliRun refused = run("check", "--color", "never", unwaived.toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.out()).contains("error[EGRESS_PASSTHROUGH_STRICT]")
                    .contains("passthrough domain \"pinned.example.com\" is DLP-blind, but DLP is :strict");
        } finally {
            Files.deleteIfExists(unwaived);
        }
    }

    @Test
    void warningsAsErrorsFailsTheExample() {
        CliRun r = run("check", "--warnings-as-errors", "--format", "json", example());
        assertThat(r.exit()).isEqualTo(1);
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        assertThat(json.get("files").get(0).get("valid").asBoolean()).isFalse();
        assertThat(json.get("files").get(0).get("diagnostics")).hasSize(2);
    }

    @Test
    void errorsExitOneAndAreRenderedRustcStyle() throws IOException {
        String cfg = file("bad.rtfs", """
                (agent.config :version "1" :agent-id "a"
                  :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                                 :dlp {:enabled true :policy :strict}}
                  :microvm {:kernel {:image "k"} :rootfs {:image "r" :ro true}
                            :resources {:vcpus 1 :mem_mb 256}
                            :devices {:vsock {:enabled true :cid 2}}})
                """);
        CliRun r = run("check", "--color", "never", cfg);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains(
                "error[MICROVM_VSOCK_CID]: vsock cid 2 is reserved (0 hypervisor, 1 loopback, 2 host)\n"
                        + " --> " + cfg + ":6:50\n"
                        + "  |\n"
                        + "6 |             :devices {:vsock {:enabled true :cid 2}}})\n"
                        + "  |                                                  ^\n"
                        + "  = path: microvm.devices.vsock.cid\n"
                        + "  = help: use a unique cid between 3 and 4294967294\n")
                .contains("invalid: " + cfg + " (1 error, 0 warnings)");
    }

    @Test
    void colourOnlyWhenAsked() throws IOException {
        String cfg = file("c.rtfs", "(agent.config :version \"1\")");
        assertThat(run("check", "--color", "always", cfg).out()).contains("\u001b[1;31merror[CONFIG_REQUIRED]");
        assertThat(run("check", cfg).out()).doesNotContain("\u001b[");
    }

    @Test
    void macrosLoadedFirstAndViaNotesPointAtTheCallSite() throws IOException {
        String cfg = file("call.rtfs", ";; networked agent without domains\n(profile:microvm-networked \"agent.x\" [])\n");
        CliRun r = run("check", "--load", macros(), cfg);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("error[MICROVM_EGRESS_ALLOWLIST]")
                .contains("macros.rtfs:")
                .contains("= note: via " + cfg + ":2:1");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "(profile:minimal \"agent.min\")",
            "(profile:microvm-min \"agent.airgapped\")",
            "(profile:microvm-networked \"agent.net\" [\"example.com\"])"})
    void eachMacroCallChecksValid(String call) throws IOException {
        String cfg = file("call.rtfs", call + "\n");
        CliRun r = run("check", "--load", macros(), cfg);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).doesNotContain("error[");
    }

    @Test
    void theMacrosFileItselfChecksValid() {
        CliRun r = run("check", macros());
        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void syntaxErrorIsRtfsSyntaxWithPositionAndExitOne() throws IOException {
        String cfg = file("syntax.rtfs", "(agent.config\n  :version \"1\n");
        CliRun r = run("check", "--format", "json", cfg);
        assertThat(r.exit()).isEqualTo(1);
        JsonNode d = JsonMapper.builder().build().readTree(r.out()).get("files").get(0).get("diagnostics").get(0);
        assertThat(d.get("code").asString()).isEqualTo("RTFS_SYNTAX");
        assertThat(d.get("file").asString()).isEqualTo(cfg);
        assertThat(d.get("line").asInt()).isEqualTo(2);
        assertThat(d.get("column").asInt()).isEqualTo(12);
    }

    @Test
    void runawayRecursionIsOneShortDiagnostic() throws IOException {
        String cfg = file("loop.rtfs", "(defn f [] (f))\n(f)\n");
        CliRun r = run("check", cfg);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("error[RTFS_EVAL]: evaluation budget exhausted")
                .containsPattern("= note: via .*loop.rtfs:1:12 \\(\\d+ times\\)\n")
                .contains("= note: via " + cfg + ":2:1\n");
        assertThat(r.out().lines().count()).isLessThan(12);
    }

    @Test
    void invalidUtf8IsASyntaxErrorNotACrash() throws IOException {
        Path p = dir.resolve("latin1.rtfs");
        Files.write(p, new byte[] {'(', 'a', 'g', 'e', 'n', 't', '.', 'c', 'o', 'n', 'f', 'i', 'g', ' ', '"', (byte) 0xE9, '"', ')'});
        CliRun r = run("check", p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("error[RTFS_SYNTAX]: invalid UTF-8");
    }

    @Test
    void aLoadFileThatIsNotUtf8FailsEveryCheckedFile() throws IOException {
        Path bad = dir.resolve("macros.rtfs");
        Files.write(bad, new byte[] {'(', 'd', 'e', 'f', ' ', (byte) 0xFF, ')'});
        String cfg = file("a.rtfs", "{:version \"1\" :agent-id \"a\"}");
        String other = file("b.rtfs", "{:version \"1\" :agent-id \"b\"}");
        CliRun r = run("check", "--format", "json", "--load", bad.toString(), cfg, other);
        assertThat(r.exit()).isEqualTo(1);
        JsonNode files = JsonMapper.builder().build().readTree(r.out()).get("files");
        assertThat(files).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(files.get(i).get("file").asString()).isEqualTo(i == 0 ? cfg : other);
            JsonNode d = files.get(i).get("diagnostics").get(0);
            assertThat(d.get("code").asString()).isEqualTo("RTFS_SYNTAX");
            assertThat(d.get("file").asString()).isEqualTo(bad.toString());
            assertThat(d.get("column").asInt()).isEqualTo(6);
        }
        CliRun own = run("check", "--format", "json", bad.toString(), cfg);
        JsonNode ownFiles = JsonMapper.builder().build().readTree(own.out()).get("files");
        assertThat(ownFiles.get(0).get("valid").asBoolean()).isFalse();
        assertThat(ownFiles.get(1).get("valid").asBoolean()).as("only the bad file fails").isTrue();
    }

    @Test
    void missingFileIsOneLineAndExitTwo() {
        String missing = dir.resolve("nope.rtfs").toString();
        CliRun r = run("check", missing);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("error: cannot read " + missing + ": no such file\n");
    }

    @Test
    void directoryOrDeviceAsFileIsOneLineAndExitTwo() {
        CliRun d = run("check", dir.toString());
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.out()).isEmpty();
        assertThat(d.err()).isEqualTo("error: cannot read " + dir + ": is a directory\n");
    }

    @Test
    void emptyFileIsNotAnAgentConfig() throws IOException {
        CliRun r = run("check", "--format", "json", file("empty.rtfs", ""));
        assertThat(r.exit()).isEqualTo(1);
        JsonNode d = JsonMapper.builder().build().readTree(r.out()).get("files").get(0).get("diagnostics").get(0);
        assertThat(d.get("code").asString()).isEqualTo("CONFIG_NOT_AGENT_CONFIG");
        assertThat(d.get("line").asInt()).isEqualTo(1);
    }

    @Test
    void missingLoadFileIsExitTwo() {
        CliRun r = run("check", "--load", dir.resolve("gone.rtfs").toString(), example());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1);
    }

    @Test
    void unknownFormatIsAUsageError() {
        CliRun r = run("check", "--format", "xml", example());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --format 'xml'");
    }

    @Test
    void noFileIsAUsageError() {
        assertThat(run("check").exit()).isEqualTo(2);
    }

    @Test
    void severalFilesAreReportedInOrderAndOneBadFileFailsTheRun() throws IOException {
        String bad = file("bad.rtfs", "[1 2 3]");
        CliRun r = run("check", "--format", "json", example(), bad);
        assertThat(r.exit()).isEqualTo(1);
        JsonNode files = JsonMapper.builder().build().readTree(r.out()).get("files");
        assertThat(files).hasSize(2);
        assertThat(files.get(0).get("file").asString()).isEqualTo(example());
        assertThat(files.get(0).get("valid").asBoolean()).isTrue();
        assertThat(files.get(1).get("valid").asBoolean()).isFalse();
        assertThat(files.get(1).get("diagnostics").get(0).get("code").asString()).isEqualTo("CONFIG_NOT_AGENT_CONFIG");
    }

    @Test
    void sarifOutput() {
        CliRun r = run("check", "--format", "sarif", example());
        assertThat(r.exit()).isZero();
        JsonNode sarif = JsonMapper.builder().build().readTree(r.out());
        assertThat(sarif.get("version").asString()).isEqualTo("2.1.0");
        assertThat(sarif.get("runs").get(0).get("results")).hasSize(2);
    }
}
