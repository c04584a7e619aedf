package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The picocli-free plain forms print exactly what picocli's path prints, and decline every other line. */
class FastPathTest {

    @TempDir
    Path tmp;

    private static final Path EXAMPLE = Path.of(System.getProperty("rtfs.repo.root", ".."))
            .resolve("docs/examples/agent.config.microvm.rtfs");

    private CliRun fast(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        OptionalInt exit = FastPath.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).as("the fast path takes %s", List.of(args)).isPresent();
        return new CliRun(exit.getAsInt(), out.toString(), err.toString());
    }

    private static CliRun picocli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), args[0]).execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void plainFormsMatchPicocliByteForByte() throws Exception {
        String valid = EXAMPLE.toString();
        String bad = file("bad.rtfs", "(agent.config :version \"0.1\" :agent-id \"a\" :microvm {:resources {:vcpus 0}})").toString();
        String syntax = file("syntax.rtfs", "(agent.config :version \"0.1\"").toString();
        String notUtf8 = Files.write(tmp.resolve("latin1.rtfs"), new byte[] {'(', 'a', (byte) 0xe9, ')'}).toString();
        String small = file("small.rtfs", "(defn twice [x] (* 2 x))\n(twice 21)").toString();
        String evalError = file("eval.rtfs", "(undefined-fn 1)").toString();
        String missing = tmp.resolve("missing.rtfs").toString();
        Path tooLarge = tmp.resolve("large.rtfs");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(tooLarge.toFile(), "rw")) {
            raf.setLength(dev.rtfs.microvm.rtfslang.BoundedInput.DEFAULT_MAX_INPUT_BYTES + 1); // sparse
        }
        List<String[]> lines = new ArrayList<>(List.of(
                new String[] {"check", valid},
                new String[] {"check", bad},
                new String[] {"check", valid, bad, syntax},
                new String[] {"check", syntax},
                new String[] {"check", notUtf8},
                new String[] {"check", missing},
                new String[] {"check", valid, missing},
                new String[] {"expand", valid},
                new String[] {"expand", small},
                new String[] {"expand", evalError},
                new String[] {"expand", syntax},
                new String[] {"expand", notUtf8},
                new String[] {"expand", missing},
                new String[] {"check", tooLarge.toString()},
                new String[] {"expand", tooLarge.toString()},
                new String[] {"check", file("deep.rtfs", "[".repeat(2000)).toString()}));
        int exits = 0;
        for (String[] line : lines) {
            CliRun f = fast(line);
            assertThat(f).as(String.join(" ", line)).isEqualTo(picocli(line));
            exits |= 1 << f.exit();
        }
        assertThat(exits).as("the cases cover exit codes 0, 1 and 2").isEqualTo(0b111);
    }

    @Test
    void everythingButThePlainFormsGoesToPicocli() {
        for (String[] line : List.of(
                new String[] {},
                new String[] {"check"},
                new String[] {"expand"},
                new String[] {"check", "--format", "json", "x.rtfs"},
                new String[] {"check", "x.rtfs", "--warnings-as-errors"},
                new String[] {"check", "--", "x.rtfs"},
                new String[] {"check", "@args.txt"},
                new String[] {"check", ""},
                new String[] {"check", "-h"},
                new String[] {"expand", "a.rtfs", "b.rtfs"},
                new String[] {"expand", "--load", "m.rtfs", "a.rtfs"},
                new String[] {"profile", "a.rtfs"},
                new String[] {"--version"})) {
            StringWriter sink = new StringWriter();
            assertThat(FastPath.run(line, new PrintWriter(sink), new PrintWriter(sink))).as(String.join(" ", line)).isEmpty();
            assertThat(sink.toString()).isEmpty();
        }
    }
}
