package dev.rtfs.microvm.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The two forms scripts run once per config, {@code check FILE...} and {@code expand FILE} with nothing else on
 * the line, run without picocli. Building picocli's model of even one command costs 45–80 ms of a ~140 ms run
 * (its annotation proxies and help mixin cannot enter the AOT cache), which is what kept these commands above
 * 3x a bare JVM. This is a recognizer, not a parser: any option, {@code --}, {@code @argfile}, empty argument or
 * name starting with '-' or '@' is declined and picocli handles the line as always. FastPathTest proves both
 * paths print the same bytes and exit with the same code.
 */
final class FastPath {

    private FastPath() {}

    /** The exit code when this is a plain form it ran, empty when picocli must handle {@code args}. */
    static OptionalInt run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length < 2) {
            return OptionalInt.empty();
        }
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '-' || a.charAt(0) == '@') {
                return OptionalInt.empty();
            }
        }
        List<String> files = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "check" -> OptionalInt.of(guarded(() -> {
                CheckCommand check = new CheckCommand();
                check.files = files;
                return check.run(out, err);
            }, out, err));
            case "expand" -> files.size() != 1 ? OptionalInt.empty()
                    : OptionalInt.of(guarded(() -> ExpandCommand.expand(files.getFirst(), List.of(), out, err), out, err));
            default -> OptionalInt.empty();
        };
    }

    private interface Command {
        int run();
    }

    private static int guarded(Command c, PrintWriter out, PrintWriter err) {
        try {
            return c.run();
        } catch (RuntimeException e) {
            return Main.escaped(e, out, err, null);
        }
    }
}
