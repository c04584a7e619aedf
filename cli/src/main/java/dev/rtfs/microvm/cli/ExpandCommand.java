package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.rtfslang.Rtfs;
import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.RtfsLimitException;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.RtfsPrinter;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm expand FILE [--load FILE]...}: evaluates FILE (after the --load files) and prints the
 * value of its last form as pretty RTFS, e.g. a profile-macro call expanded into the full agent.config.
 * Kept light on purpose (no JSON, no networking classes): it is on scripted paths where start-up counts. Bounded:
 * input by {@link dev.rtfs.microvm.rtfslang.BoundedInput#maxInputBytes}, output by {@link CliIo#maxOutputChars}.
 */
@Command(name = "expand", mixinStandardHelpOptions = true,
        description = "Evaluate an RTFS file and print its value (e.g. an expanded agent.config).",
        footer = {"", "Each file is read up to 4 MiB (RTFS_INPUT_LIMIT) and the printed value is at most 16 Mi characters",
                "(RTFS_OUTPUT_LIMIT: shared structure doubles per level when printed); both refusals exit 1. Raise them",
                "with -Drtfs.maxInputBytes=BYTES and -Drtfs.maxOutputChars=CHARS (launcher: RTFS_JAVA_OPTS)."})
final class ExpandCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "RTFS file to evaluate; its last form is printed.")
    String file;

    @Option(names = "--load", paramLabel = "FILE",
            description = "RTFS file evaluated first for its definitions (e.g. profile macros); repeatable.")
    List<String> loads = new ArrayList<>();

    @Override
    public Integer call() {
        return expand(file, loads, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static int expand(String file, List<String> loads, PrintWriter out, PrintWriter err) {
        Map<String, SourceFile> sources = new HashMap<>();
        List<SourceFile> loaded = new ArrayList<>();
        SourceFile main;
        try {
            for (String load : loads) loaded.add(remember(sources, CliIo.read(load)));
            main = remember(sources, CliIo.read(file));
        } catch (CliIo.UnreadableFile e) {
            throw new UsageException(e.getMessage());
        } catch (CliIo.RefusedInput e) {
            if (e.source != null) sources.put(e.source.name(), e.source);
            CliIo.printError(err, e.error, sources);
            return Main.FAILED;
        }
        try {
            // Bounded: shared structure would otherwise print gigabytes (RTFS_OUTPUT_LIMIT instead).
            out.println(RtfsPrinter.pretty(Rtfs.evaluate(loaded, main), CliIo.maxOutputChars()));
            out.flush();
            return Main.OK;
        } catch (RtfsException e) {
            CliIo.printError(err, e.span().isKnown() ? e : atStartOf(main, e), sources);
            return Main.FAILED;
        }
    }

    /** An error about a value with no position (built by a built-in) is shown at the start of the file. */
    private static RtfsException atStartOf(SourceFile main, RtfsException e) {
        return e instanceof RtfsLimitException limit
                ? new RtfsLimitException(limit.bound(), e.getMessage(), new Span(main.name(), 0, 1, 1, 0)) : e;
    }

    private static SourceFile remember(Map<String, SourceFile> sources, SourceFile f) {
        sources.put(f.name(), f);
        return f;
    }
}
