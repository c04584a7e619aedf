package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point. {@link #run} takes its streams and returns the exit code so tests drive the whole CLI
 * in-process; only {@link #main} exits.
 *
 * <p>Exit codes for every command: 0 success (warnings allowed), 1 input checked and has errors / refused,
 * 2 usage error, unreadable file or internal error. Commands report usage errors by throwing {@link UsageException};
 * picocli's own parameter errors also exit 2.
 */
@Command(
        name = "rtfs-microvm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Turns RTFS agent configs into hardened, supervised MicroVMs.")
public final class Main {

    /**
     * The subcommands, one line each, alphabetical. They are registered lazily: building picocli's model of
     * every command costs more than the rest of a `check` run, so a run that names its command only
     * builds that one (help, completion and unknown commands still see them all).
     */
    static final List<Class<?>> COMMANDS = List.of(
            ChainCommand.class,
            CheckCommand.class,
            CompletionCommand.class,
            DemoCommand.class,
            ExpandCommand.class,
            ImageCommand.class,
            ProfileCommand.class,
            ProxyCommand.class,
            RunCommand.class,
            SynthCommand.class);

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        OptionalInt fast = FastPath.run(args, out, err);
        if (fast.isPresent()) {
            return fast.getAsInt();
        }
        CommandLine cli = commandLine(out, err, args.length > 0 ? args[0] : "");
        return cli.execute(args);
    }

    /**
     * What escaped a command: a {@link UsageException} is printed as its {@code error:} lines (or, with none, as
     * {@code usage} of the command) and exits 2; anything else is a bug, see {@link #internalError}.
     */
    static int escaped(Exception ex, PrintWriter out, PrintWriter err, CommandLine command) {
        if (ex instanceof UsageException usage) {
            out.flush(); // what the command printed before it found the problem (e.g. a JSON array's "[")
            if (usage.lines().isEmpty() && command != null) {
                command.usage(err);
            }
            usage.lines().forEach(line -> err.println("error: " + line));
            err.flush();
            return USAGE;
        }
        return internalError(ex, err);
    }

    /** Anything else that escapes a command is a bug: one line, exit 2, never a stack trace on the terminal. */
    static int internalError(Exception ex, PrintWriter err) {
        err.println("error: internal error: " + ex);
        err.flush();
        org.slf4j.LoggerFactory.getLogger(Main.class).debug("internal error", ex);
        return USAGE;
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, String firstArg) {
        CommandLine cli = new CommandLine(new Main());
        Class<?> named = COMMANDS.stream()
                .filter(c -> c != CompletionCommand.class && c.getAnnotation(Command.class).name().equals(firstArg))
                .findFirst().orElse(null);
        if (named != null) {
            cli.addSubcommand(named);
        } else {
            cli.addSubcommand(new CommandLine.HelpCommand());
            COMMANDS.forEach(cli::addSubcommand);
        }
        // Every command answers --version like the top level (picocli would print nothing for a subcommand).
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> escaped(ex, commandLine.getOut(), commandLine.getErr(), commandLine));
        return cli;
    }
}
