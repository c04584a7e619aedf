package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The launcher's training run for the JVM's AOT cache (or AppCDS archive): runs the short commands scripts
 * call most on the repository's examples, in one JVM, discarding their output, so that the classes all of them
 * need are in the cache. Not a user command. Argument: the repository root.
 */
final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        String config = root.resolve("docs/examples/agent.config.microvm.rtfs").toString();
        String plan = root.resolve("docs/examples/plan.networked.rtfs").toString();
        String macros = root.resolve("docs/rtfs-2.0/specs-incoming/examples/macros.rtfs").toString();
        List<String[]> runs = List.of(
                new String[] {"check", config},
                new String[] {"expand", macros},
                new String[] {"profile", "--config", config, plan},
                new String[] {"--version"});
        PrintWriter sink = new PrintWriter(new StringWriter());
        for (String[] run : runs) {
            if (Files.isReadable(Path.of(run[run.length - 1])) || run[0].startsWith("-")) {
                Main.run(run, sink, sink);
            }
        }
    }
}
