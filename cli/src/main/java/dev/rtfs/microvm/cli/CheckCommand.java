package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm check FILE... [--load FILE]... [--format text|json|sarif] [--target kubernetes] [--warnings-as-errors]}:
 * reads, evaluates and validates each agent config and prints every problem with its stable code (with
 * {@code --target kubernetes}, also what the cluster cannot express or carries more weakly). Exit 0 when every file is
 * valid (warnings allowed unless --warnings-as-errors), 1 when a file has errors, 2 for usage errors and
 * unreadable files (one line each, nothing else printed).
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Validate agent.config files against the schema and the MicroVM profile.",
        footer = {"", "Each file is read up to 4 MiB; a larger one is refused (RTFS_INPUT_LIMIT, exit 1) without reading",
                "the rest. Raise it with -Drtfs.maxInputBytes=BYTES (launcher: RTFS_JAVA_OPTS)."})
final class CheckCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "agent.config files (the value of the last form is checked).")
    List<String> files = new ArrayList<>();

    @Option(names = "--load", paramLabel = "FILE",
            description = "RTFS file evaluated first for its definitions (e.g. profile macros); repeatable.")
    List<String> loads = new ArrayList<>();

    // Defaults are field values (picocli shows and applies them) so FastPath's plain `check FILE...` gets them too.
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = Formats.class)
    String format = "text";

    @Option(names = "--target", paramLabel = "TARGET",
            description = "Also check what the config becomes on this target: kubernetes (errors for what a cluster "
                    + "cannot express, a warning for each guarantee it carries more weakly).")
    String target;

    @Option(names = "--warnings-as-errors", description = "Fail (exit 1) on warnings too.")
    boolean warningsAsErrors;

    @Option(names = "--color", paramLabel = "WHEN",
            description = "Colour the text format: auto (stdout is a terminal), always, never.")
    String color = "auto";

    static final class Formats extends ArrayList<String> {
        Formats() { super(List.of("text", "json", "sarif")); }
    }

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Usage errors (a bad option, an unreadable file) are thrown as {@link UsageException}. */
    int run(PrintWriter out, PrintWriter err) {
        ReportFormat fmt = DiagnosticOutput.reportFormat(format);
        if (target != null && !target.equals(KubernetesSynth.AGENT_TARGET)) {
            throw new UsageException("unknown --target '" + target + "' (expected kubernetes)");
        }
        boolean colour = DiagnosticOutput.colour(color);
        CliIo.Inputs inputs = CliIo.readAll(loads, files.toArray(String[]::new));

        // A refused file (not UTF-8, too large) is reported alone; a refused --load file spoils every checked file.
        Map<String, Diagnostic> refused = new LinkedHashMap<>();
        inputs.refused().forEach(r -> refused.put(r.file(), r.diagnostics().getFirst()));
        List<SourceFile> loaded = loads.stream().map(inputs.sources()::get).toList();
        Optional<Diagnostic> badLoad = loads.stream().map(refused::get).filter(Objects::nonNull).findFirst();
        List<FileReport> reports = new ArrayList<>();
        for (String name : files) {
            SourceFile source = inputs.sources().get(name);
            Diagnostic bad = refused.containsKey(name) ? refused.get(name) : badLoad.orElse(null);
            if (bad != null) {
                Map<String, SourceFile> sources = new LinkedHashMap<>();
                loaded.stream().filter(Objects::nonNull).forEach(l -> sources.put(l.name(), l));
                if (source != null) sources.put(name, source);
                reports.add(FileReport.of(name, List.of(bad), sources, warningsAsErrors));
            } else {
                ConfigCheckResult result = ConfigLoader.load(loaded, source);
                reports.add(target == null ? FileReport.of(result, warningsAsErrors)
                        : FileReport.of(name, KubernetesSynth.checkDiagnostics(result), result.sources(), warningsAsErrors));
            }
        }
        CheckReport report = new CheckReport(reports);
        out.print(fmt.render(report, colour));
        out.flush();
        return report.valid() ? Main.OK : Main.FAILED;
    }
}
