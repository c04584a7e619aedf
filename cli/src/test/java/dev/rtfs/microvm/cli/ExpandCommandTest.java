package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpandCommandTest {

    @TempDir Path dir;

    private String file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p.toString();
    }

    @Test
    void printsTheValueOfTheLastFormAsPrettyRtfs() throws IOException {
        String f = file("cfg.rtfs", "(def id \"agent-1\")\n(agent.config :version \"1\" :agent-id id)\n");
        CliRun r = run("expand", f);
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("(agent.config :version \"1\" :agent-id \"agent-1\")\n");
    }

    @Test
    void loadFilesAreEvaluatedFirst() throws IOException {
        String macros = file("macros.rtfs", """
                (defn profile:tiny [id]
                  (agent.config :agent-id id :microvm {:resources {:vcpus 1 :mem_mb 256}}))
                """);
        String other = file("other.rtfs", "(def default-id \"a-2\")");
        String cfg = file("cfg.rtfs", "(profile:tiny default-id)");
        CliRun r = run("expand", cfg, "--load", macros, "--load", other);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains(":agent-id \"a-2\"").contains(":vcpus 1");
    }

    @Test
    void evaluationErrorsAreRustcStyleWithTheCallStack() throws IOException {
        String macros = file("macros.rtfs", "(defn mk [n]\n  (+ n :oops))\n");
        String cfg = file("cfg.rtfs", ";; config\n(mk 1)\n");
        CliRun r = run("expand", "--load", macros, cfg);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                error[RTFS_EVAL]: +: argument 2 must be a number, got keyword
                 --> %s:2:8
                  |
                2 |   (+ n :oops))
                  |        ^^^^^
                  = note: called from %s:2:1
                """.formatted(macros, cfg));
    }

    @Test
    void recursionIsFoldedInTheNotes() throws IOException {
        String cfg = file("loop.rtfs", "(defn f [] (f))\n(f)\n");
        CliRun r = run("expand", cfg);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error[RTFS_EVAL]: evaluation budget exhausted: nesting deeper than")
                .containsPattern("= note: called from .*loop.rtfs:1:12 \\(\\d+ times\\)")
                .contains("= note: called from " + cfg + ":2:1\n");
        assertThat(r.err().lines().count()).isLessThan(12);
    }

    @Test
    void syntaxErrorsPointAtThePosition() throws IOException {
        String cfg = file("bad.rtfs", "{:a 1}\n  junk)");
        CliRun r = run("expand", cfg);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error[RTFS_SYNTAX]: ").contains(" --> " + cfg + ":2:").contains("2 |   junk)");
    }

    @Test
    void missingFileIsOneLineAndExitTwo() {
        CliRun r = run("expand", dir.resolve("nope.rtfs").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: cannot read " + dir.resolve("nope.rtfs") + ": no such file\n");
        CliRun d = run("expand", dir.toString());
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.err()).startsWith("error: cannot read ").hasLineCount(1);
    }

    @Test
    void missingLoadFileIsOneLineAndExitTwo() throws IOException {
        String cfg = file("cfg.rtfs", "1");
        CliRun r = run("expand", cfg, "--load", dir.resolve("gone.rtfs").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("gone.rtfs: no such file").hasLineCount(1);
    }

    @Test
    void invalidUtf8IsAPositionedErrorNotAStackTrace() throws IOException {
        Path p = dir.resolve("latin1.rtfs");
        byte[] text = "{:a 1\n :b \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(p, text);
        CliRun r = run("expand", p.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error[RTFS_SYNTAX]: invalid UTF-8: byte 0xE9 at byte offset 14")
                .contains(" --> " + p + ":2:9")
                .contains("2 |  :b \"caf\uFFFD\"}")
                .doesNotContain("Exception");
    }

    @Test
    void byteOrderMarkIsIgnored() throws IOException {
        Path p = dir.resolve("bom.rtfs");
        byte[] body = "[1 2]".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Files.write(p, bytes);
        CliRun r = run("expand", p.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("[1 2]\n");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("expand").exit()).isEqualTo(2);
        assertThat(run("expand", "a", "b").exit()).isEqualTo(2);
        assertThat(run("expand", "--load").exit()).isEqualTo(2);
    }

    @Test
    void helpListsTheCommand() {
        CliRun r = run("--help");
        assertThat(r.out()).contains("expand");
        assertThat(run("expand", "--help").out()).contains("--load=FILE");
    }
}
