package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The launcher's training run for a JVM AOT cache (or AppCDS archive): runs commands on the repository's
 * examples in one JVM, discarding their output, so the classes they need are in the cache. Two sets, two caches:
 * {@code plain} trains only the picocli-free plain forms of check and expand (see FastPath), because every class
 * in a cache is loaded at every start and picocli's would cost those forms about 8 ms; {@code full} trains the
 * commands through picocli for every other command line. Not a user command. Arguments: the repository root and
 * the set (default full).
 */
final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        String config = root.resolve("docs/examples/agent.config.microvm.rtfs").toString();
        String plan = root.resolve("docs/examples/plan.networked.rtfs").toString();
        String macros = root.resolve("docs/rtfs-2.0/specs-incoming/examples/macros.rtfs").toString();
        List<String[]> runs = args.length > 1 && args[1].equals("plain")
                ? List.of(new String[] {"check", config}, new String[] {"expand", macros})
                : List.of(new String[] {"check", "--color", "never", config},
                        new String[] {"expand", "--load", macros, macros},
                        new String[] {"profile", "--config", config, plan},
                        new String[] {"--version"});
        PrintWriter sink = new PrintWriter(new StringWriter());
        for (String[] run : runs) {
            if (Files.isReadable(Path.of(run[run.length - 1])) || run[0].startsWith("-")) {
                Main.run(run, sink, sink);
            }
        }
        // Exit the way the CLI does: Runtime.exit brings up the JDK's System.Logger (about 8 ms of classes), and
        // only what the training run loads is in the cache.
        System.exit(0);
    }
}
