package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that reads RTFS reads at most the input limit (4 MiB unless -Drtfs.maxInputBytes says otherwise)
 * and refuses more without reading the rest; expand refuses a value whose printed form is over the output limit;
 * nesting is bounded. All refusals are positioned errors with a stable code and exit 1.
 */
class InputBoundsTest {

    @TempDir Path dir;

    static void requireThat(boolean ok, String message) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(message + " [CI=true: prerequisites must be present]");
        Assumptions.abort(message + " — skipped (set CI=true to make this a failure)");
    }

    private String file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8).toString();
    }

    /** {@code (let [a0 [1 2 3 4 5 6 7 8] a1 [a0 a0] … a22 [a21 a21]] a22)}: 33 M numbers when printed. */
    private String sharedStructure() throws IOException {
        StringBuilder sb = new StringBuilder("(let [a0 [1 2 3 4 5 6 7 8]\n");
        for (int i = 1; i <= 22; i++) sb.append("      a").append(i).append(" [a").append(i - 1).append(" a").append(i - 1).append("]\n");
        return file("shared.rtfs", sb.append("      ] a22)\n").toString());
    }

    @Test
    void expandOfSharedStructureIsRefusedAtTheOutputLimitNamingTheExpression() throws IOException {
        String f = sharedStructure();
        CliRun r = run("expand", f);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error[RTFS_OUTPUT_LIMIT]: the printed form of this value is longer than 16777216 characters")
                .contains(" --> " + f + ":23:11\n", "23 |       a22 [a21 a21]\n");
        assertThat(r.err().length()).isLessThan(2000);
    }

    @Test
    void checkOfDevZeroStopsAtTheLimit() {
        requireThat(Files.isReadable(Path.of("/dev/zero")), "/dev/zero is missing");
        CliRun r = run("check", "/dev/zero");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("error[RTFS_INPUT_LIMIT]: input is larger than the limit of 4194304 bytes"
                        + " (stopped reading after 4194305 bytes)\n")
                .contains(" --> /dev/zero:1:1\n", "invalid: /dev/zero (1 error, 0 warnings)");
        CliRun expand = run("expand", "/dev/zero");
        assertThat(expand.exit()).isEqualTo(1);
        assertThat(expand.err()).startsWith("error[RTFS_INPUT_LIMIT]: ").contains(" --> /dev/zero:1:1");
        CliRun json = run("check", "--format", "json", "/dev/zero");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.out()).contains("\"code\" : \"RTFS_INPUT_LIMIT\"");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFifoThatNeverEndsIsRefusedAtTheLimit() throws Exception {
        Path fifo = dir.resolve("endless.rtfs");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            made = false;
        }
        requireThat(made, "mkfifo is not available");
        AtomicLong written = new AtomicLong();
        Thread writer = Thread.ofPlatform().daemon().start(() -> {
            byte[] chunk = new byte[1 << 16];
            Arrays.fill(chunk, (byte) '[');
            try (OutputStream out = Files.newOutputStream(fifo)) {
                while (written.get() < (1L << 30)) { // a GiB at most, should the reader not stop
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException readerClosed) {
                // expected: the reader stopped at the limit and closed its end
            }
        });
        CliRun r = run("check", fifo.toString());
        writer.join(30_000);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("error[RTFS_INPUT_LIMIT]: input is larger than the limit of 4194304 bytes");
        assertThat(written.get()).isLessThan(64L << 20);
    }

    @Test
    void aLargeSparseFileIsRefusedByItsSizeWithoutReadingIt() throws IOException {
        Path big = dir.resolve("big.rtfs");
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            byte[] open = new byte[4096];
            Arrays.fill(open, (byte) '[');
            raf.write(open);
            raf.setLength(300L << 20); // sparse: no 300 MB written
        }
        CliRun r = run("check", big.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("error[RTFS_INPUT_LIMIT]: input is larger than the limit of 4194304 bytes"
                + " (its size is 314572800 bytes)\n").contains(" --> " + big + ":1:1\n");
        CliRun expand = run("expand", big.toString());
        assertThat(expand.exit()).isEqualTo(1);
        assertThat(expand.err()).startsWith("error[RTFS_INPUT_LIMIT]: ");
    }

    @Test
    void aFileOneByteOverTheLimitIsRefusedAndOneAtTheLimitIsRead() throws IOException {
        byte[] text = new byte[4 << 20];
        Arrays.fill(text, (byte) ' ');
        text[0] = '1';
        Path atLimit = Files.write(dir.resolve("at.rtfs"), text);
        CliRun ok = run("expand", atLimit.toString());
        assertThat(ok.err()).isEmpty();
        assertThat(ok.out()).isEqualTo("1\n");
        Path over = Files.write(dir.resolve("over.rtfs"), Arrays.copyOf(text, text.length + 1));
        CliRun refused = run("expand", over.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error[RTFS_INPUT_LIMIT]: input is larger than the limit of 4194304 bytes");
        CliRun load = run("check", "--load", over.toString(), atLimit.toString());
        assertThat(load.exit()).isEqualTo(1);
        assertThat(load.out()).contains("error[RTFS_INPUT_LIMIT]", "invalid: " + atLimit);
    }

    @Test
    void theInputLimitIsASystemProperty() throws IOException {
        String f = file("small.rtfs", "[1 2 3]");
        String previous = System.getProperty(dev.rtfs.microvm.rtfslang.BoundedInput.MAX_INPUT_PROPERTY);
        System.setProperty(dev.rtfs.microvm.rtfslang.BoundedInput.MAX_INPUT_PROPERTY, "6");
        try {
            CliRun r = run("expand", f);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error[RTFS_INPUT_LIMIT]: input is larger than the limit of 6 bytes (its size is 7 bytes)");
            System.setProperty(dev.rtfs.microvm.rtfslang.BoundedInput.MAX_INPUT_PROPERTY, "7");
            assertThat(run("expand", f).out()).isEqualTo("[1 2 3]\n");
        } finally {
            if (previous == null) System.clearProperty(dev.rtfs.microvm.rtfslang.BoundedInput.MAX_INPUT_PROPERTY);
            else System.setProperty(dev.rtfs.microvm.rtfslang.BoundedInput.MAX_INPUT_PROPERTY, previous);
        }
    }

    @Test
    void deepNestingIsAPositionedSyntaxErrorNotAStackOverflow() throws IOException {
        String f = file("deep.rtfs", "[".repeat(100_000));
        for (String command : new String[] {"check", "expand"}) {
            CliRun r = run(command, f);
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.out() + r.err()).as(command).contains("error[RTFS_SYNTAX]: nesting deeper than 512 levels")
                    .contains(" --> " + f + ":1:513\n").doesNotContain("StackOverflow", "internal error");
        }
    }

    /**
     * Bidi (U+202E, U+2066, U+200F) and C1 (U+0085) characters in a config's string and comment are shown escaped
     * in check's snippet, and the caret still points at the offending {@code 2}.
     */
    @Test
    void bidiAndC1InAConfigAreShownEscapedWithTheCaretUnderTheRightCharacter() throws IOException {
        String cfg = file("trojan.rtfs", """
                (agent.config :version "1" :agent-id "a"
                  :orchestrator {:isolation {:mode :microvm :fs {:ephemeral true :mounts {:capabilities {:mode :ro}}}}
                                 :dlp {:enabled true :policy :strict}}
                  :microvm {:resources {:vcpus 1 :mem_mb 256} :rootfs {:image "r" :ro true}
                            :kernel {:image "k\u202e\u2066"} :devices {:vsock {:enabled true #| c\u0085\u200f |# :cid 2}}})
                """);
        CliRun r = run("check", "--color", "never", cfg);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("\u202e", "\u2066", "\u0085", "\u200f");
        String[] lines = r.out().split("\n");
        int at = Arrays.asList(lines).indexOf(" --> " + cfg + ":5:83");
        assertThat(at).as(r.out()).isPositive();
        assertThat(lines[at - 1]).isEqualTo("error[MICROVM_VSOCK_CID]: vsock cid 2 is reserved (0 hypervisor, 1 loopback, 2 host)");
        String source = lines[at + 2];
        assertThat(source).isEqualTo("5 |             :kernel {:image \"k\\u202e\\u2066\"} :devices {:vsock {:enabled true"
                + " #| c\\u0085\\u200f |# :cid 2}}})");
        int caret = lines[at + 3].indexOf('^');
        assertThat(lines[at + 3]).endsWith("^");
        assertThat(source.substring(caret)).startsWith("2}}})");
    }
}
