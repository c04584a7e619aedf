package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.lang.Rtfs;
import dev.rtfs.microvm.lang.RtfsException;
import dev.rtfs.microvm.lang.RtfsPrinter;
import dev.rtfs.microvm.lang.SourceFile;
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
 * Kept light on purpose (no JSON, no networking classes): it is on scripted paths where start-up counts.
 */
@Command(name = "expand", mixinStandardHelpOptions = true, description = "Evaluate an RTFS file and print its value (e.g. an expanded agent.config).")
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

    /**
     * The plain forms {@code expand FILE [--load FILE | --load=FILE]...} without picocli, whose model building
     * costs more CPU at start-up than the whole evaluation (its Java 5 class files cannot go into the JVM's AOT
     * cache). Returns null for anything else (help, unknown options, usage errors) so picocli handles it.
     * Meant to be called first thing by {@link Main#run}.
     */
    static Integer runPlain(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length < 2 || !"expand".equals(args[0])) return null;
        String file = null;
        List<String> loads = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--load") && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                loads.add(args[++i]);
            } else if (a.startsWith("--load=") && a.length() > "--load=".length()) {
                loads.add(a.substring("--load=".length()));
            } else if (a.startsWith("-") || file != null) {
                return null;
            } else {
                file = a;
            }
        }
        return file == null ? null : expand(file, loads, out, err);
    }

    static int expand(String file, List<String> loads, PrintWriter out, PrintWriter err) {
        Map<String, SourceFile> sources = new HashMap<>();
        List<SourceFile> loaded = new ArrayList<>();
        SourceFile main;
        try {
            for (String load : loads) loaded.add(remember(sources, CliIo.read(load)));
            main = remember(sources, CliIo.read(file));
        } catch (CliIo.UnreadableFile e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Main.USAGE;
        } catch (CliIo.InvalidUtf8 e) {
            sources.put(e.source.name(), e.source);
            CliIo.printError(err, e.error, sources);
            return Main.FAILED;
        }
        try {
            out.println(RtfsPrinter.pretty(Rtfs.evaluate(loaded, main)));
            out.flush();
            return Main.OK;
        } catch (RtfsException e) {
            CliIo.printError(err, e, sources);
            return Main.FAILED;
        }
    }

    private static SourceFile remember(Map<String, SourceFile> sources, SourceFile f) {
        sources.put(f.name(), f);
        return f;
    }
}
