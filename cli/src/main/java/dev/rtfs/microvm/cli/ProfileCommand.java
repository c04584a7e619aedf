package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.orchestrator.admission.Admission;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import dev.rtfs.microvm.orchestrator.plan.PlanReader;
import dev.rtfs.microvm.orchestrator.profile.StepProfileJson;
import dev.rtfs.microvm.orchestrator.profile.StepProfileTable;
import dev.rtfs.microvm.guest.ImageLayout;
import dev.rtfs.microvm.supervisor.ImageCapabilities;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm profile --config CONFIG [--load FILE]... [--image DIR] PLAN [--format text|json]}: admits the
 * plan for the agent (every step checked against the plan's effects and the agent's policy; with {@code --image},
 * every call against the image's capabilities: built-ins and the packages its image.lock records) and prints one least-privilege profile per step (a table, or the JSON array of step
 * profiles). Exit 0 when admitted; 1 when the config has errors or admission refuses the plan (the diagnostics
 * are printed with the shared renderers); 2 for usage errors and unreadable files.
 */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Admit a plan for an agent and print each step's profile (network ACL, fs policy, determinism, gates).")
final class ProfileCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "CONFIG", description = "The agent.config file.")
    String config;

    @Option(names = "--load", paramLabel = "FILE",
            description = "RTFS file evaluated before the config for its definitions (e.g. profile macros); repeatable.")
    List<String> loads = new ArrayList<>();

    @Option(names = "--image", paramLabel = "DIR",
            description = "Admit calls against the guest image `image build` wrote in DIR: a call to a capability that "
                    + "is neither built in nor one of its packages, or whose manifest effects the step does not "
                    + "declare, is refused.")
    String image;

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file: (plan ^{:effects ...} :program (do (step ...) ...)).")
    String plan;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat reportFormat = DiagnosticOutput.textOrJson(format);
        CliIo.Inputs inputs = CliIo.readAll(loads, config, plan);
        if (!inputs.refused().isEmpty()) {
            return report(out, reportFormat, inputs.refused());
        }
        Map<String, SourceFile> sources = inputs.sources();

        ConfigCheckResult checked = ConfigLoader.load(loads.stream().map(sources::get).toList(), sources.get(config));
        if (!checked.valid() || checked.config().isEmpty()) {
            if (reportFormat == ReportFormat.TEXT) err.println("error: the agent config " + config + " has errors; no plan can be admitted for it");
            return report(out, reportFormat, List.of(FileReport.of(checked, false)));
        }
        if (checked.hasWarnings() && reportFormat == ReportFormat.TEXT) {
            err.println("note: the agent config has warnings; see `rtfs-microvm check " + config + "`");
        }
        AgentPolicy policy = AgentPolicy.from(checked.config().get());
        if (image != null) {
            Path dir = Path.of(image);
            if (!Files.isRegularFile(new ImageLayout(dir).lock())) {
                err.println("error: no image in " + image + " (" + new ImageLayout(dir).lock() + " is missing); build one "
                        + "with `rtfs-microvm image build --out " + image + "`");
                err.flush();
                return Main.FAILED;
            }
            List<Diagnostic> problems = new ArrayList<>();
            policy = policy.withCapabilities(ImageCapabilities.of(dir, problems));
            if (!problems.isEmpty()) {
                return report(out, reportFormat, RunCommand.bySource(problems, sources));
            }
        }
        SourceFile planSource = sources.get(plan);
        AdmissionResult result = Admission.admit(PlanReader.read(planSource), policy);
        Map<String, SourceFile> planSources = Map.of(planSource.name(), planSource);
        if (!result.admitted()) {
            return report(out, reportFormat, List.of(FileReport.of(plan, result.diagnostics(), planSources, false)));
        }
        if (reportFormat == ReportFormat.JSON) {
            out.println(StepProfileJson.writeAll(result.profiles()));
        } else {
            if (!result.diagnostics().isEmpty()) {
                err.print(ReportFormat.TEXT.render(new CheckReport(List.of(FileReport.of(plan, result.diagnostics(), planSources, false))), false));
            }
            out.println("plan " + plan + " admitted for agent " + policy.agentId() + ": " + result.profiles().size() + " step(s)");
            out.print(StepProfileTable.render(result.profiles()));
        }
        out.flush();
        err.flush();
        return Main.OK;
    }

    private static int report(PrintWriter out, ReportFormat format, List<FileReport> files) {
        return DiagnosticOutput.printRefused(out, format, files);
    }
}
