package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors are thrown by commands as {@link UsageException}; {@link Main} alone prints them and exits 2. */
class UsageErrorsTest {

    @Test
    void aUsageExceptionIsOneErrorLinePerProblemAndExitTwo() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.escaped(UsageException.of(List.of("cannot read a: no such file", "cannot read b: no such file")),
                new PrintWriter(out), new PrintWriter(err), null);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: cannot read a: no such file\nerror: cannot read b: no such file\n"
                .replace("\n", System.lineSeparator()));
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anythingElseThatEscapesACommandIsAnInternalErrorWithoutAStackTrace() {
        StringWriter err = new StringWriter();
        int exit = Main.escaped(new IllegalStateException("boom"), new PrintWriter(new StringWriter()), new PrintWriter(err), null);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("error: internal error: java.lang.IllegalStateException: boom");
    }

    @Test
    void everyUnreadableFileOfAProfileRunIsNamedBeforeAnythingIsChecked(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("agent.config"), "{}");
        CliRun r = run("profile", "--config", config.toString(), "--load", dir.resolve("gone.rtfs").toString(),
                dir.resolve("missing-plan.rtfs").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                "error: cannot read " + dir.resolve("gone.rtfs") + ": no such file",
                "error: cannot read " + dir.resolve("missing-plan.rtfs") + ": no such file");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aCommandGroupWithoutItsSubcommandPrintsItsUsageAndExitsTwo() {
        for (String group : List.of("chain", "image")) {
            CliRun r = run(group);
            assertThat(r.exit()).as(group).isEqualTo(2);
            assertThat(r.err()).as(group).startsWith("Usage: rtfs-microvm " + group);
            assertThat(r.out()).as(group).isEmpty();
        }
    }

    /** The exit code of a usage error is decided in one place: no command returns it itself. */
    @Test
    void noCommandPicksTheUsageExitCodeItself() throws IOException {
        Path sources = Path.of(System.getProperty("rtfs.repo.root", "..")).resolve("cli/src/main/java/dev/rtfs/microvm/cli");
        try (Stream<Path> files = Files.list(sources)) {
            List<String> offenders = files.filter(f -> !f.getFileName().toString().equals("Main.java"))
                    .filter(f -> read(f).contains("Main.USAGE")).map(f -> f.getFileName().toString()).toList();
            assertThat(offenders).isEmpty();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
