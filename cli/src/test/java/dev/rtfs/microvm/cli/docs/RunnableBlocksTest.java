package dev.rtfs.microvm.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every shell block marked {@code <!-- runnable -->} in README.md and the spec runs with bash ({@code set -euo pipefail})
 * in a temporary directory that holds {@code docs/} and an {@code ./rtfs-microvm} that starts this build's CLI (the
 * real launcher would run Maven inside the test run to rebuild its jar). Runnable blocks stay small: no VM boots.
 */
class RunnableBlocksTest {

    private static final Logger LOG = LoggerFactory.getLogger(RunnableBlocksTest.class);

    @TempDir Path dir;

    record Ran(int exit, String output) {}

    Ran runBlock(String block) throws IOException, InterruptedException {
        Path work = Files.createDirectories(dir.resolve("work"));
        if (!Files.exists(work.resolve("docs"))) Files.createSymbolicLink(work.resolve("docs"), DocFiles.ROOT.resolve("docs"));
        Path launcher = work.resolve("rtfs-microvm");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -Xshare:auto -cp '" + System.getProperty("java.class.path")
                + "' dev.rtfs.microvm.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        Path script = Files.writeString(work.resolve("block.sh"), "set -euo pipefail\n" + block);
        Process p = new ProcessBuilder("bash", script.toString()).directory(work.toFile()).redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = new String(p.getInputStream().readNBytes(1 << 20), StandardCharsets.UTF_8);
        return new Ran(done ? p.exitValue() : -1, out);
    }

    @Test
    void everyRunnableBlockInTheReadmeAndTheSpecRunsCleanly() throws Exception {
        List<DocFiles.Fence> blocks = java.util.stream.Stream.of(DocFiles.ROOT.resolve("README.md"), DocFiles.SPEC)
                .flatMap(p -> DocFiles.fences(p).stream()).filter(f -> f.marker().equals("runnable")).toList();
        assertThat(blocks).as("runnable blocks").isNotEmpty().allMatch(f -> f.lang().equals("sh"));
        long t0 = System.nanoTime();
        for (DocFiles.Fence f : blocks) {
            Ran r = runBlock(f.text());
            assertThat(r.exit()).as(f.where() + ":\n" + r.output()).isZero();
        }
        LOG.info("{} runnable doc blocks in {} ms", blocks.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void aRunnableBlockWithAWrongOptionFails() throws Exception {
        Ran r = runBlock("./rtfs-microvm check --no-such-option docs/examples/agent.config.microvm.rtfs\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("Unknown option: '--no-such-option'");
    }
}
