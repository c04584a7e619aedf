package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point. {@link #run} takes its streams and returns the exit code so tests drive the whole CLI
 * in-process; only {@link #main} exits.
 *
 * <p>Exit codes for every command: 0 success (warnings allowed), 1 input checked and has errors / refused,
 * 2 usage error, unreadable file or internal error.
 */
@Command(
        name = "rtfs-microvm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Turns RTFS agent configs into hardened, supervised MicroVMs.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ChainCommand.class,
            CheckCommand.class,
            CompletionCommand.class,
            ExpandCommand.class,
            ProfileCommand.class,
            ProxyCommand.class,
            SynthCommand.class,
            // Subcommands: one line each, keep alphabetical.
        })
public final class Main {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // Anything that escapes a command is a bug: one line, exit 2, never a stack trace on the terminal.
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: internal error: " + ex);
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("internal error", ex);
            return USAGE;
        });
        return cli;
    }
}
