package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.controlplane.chain.HostKey;
import dev.rtfs.microvm.guest.ImageLayout;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.supervisor.ProcessVmLauncher;
import dev.rtfs.microvm.supervisor.RunReport;
import dev.rtfs.microvm.supervisor.RunReportJson;
import dev.rtfs.microvm.supervisor.RunRequest;
import dev.rtfs.microvm.supervisor.RunTable;
import dev.rtfs.microvm.supervisor.Supervisor;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm run CONFIG --plan PLAN [--load FILE]... [--image DIR] [--run-dir DIR] [--vmm qemu]}: runs the
 * plan in a MicroVM (egress only through the proxy, every step in the causal chain) and prints the step table. Exit 0 when every step completed and the causal chain
 * verifies; 1 when the config, the plan or the attestation was refused, or a step failed; 2 for usage errors,
 * unreadable files and a missing guest image.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a plan for an agent in a MicroVM: egress through the proxy, every step in the causal chain.")
final class RunCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "The agent.config file.")
    String config;

    @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "The plan file.")
    String plan;

    @Option(names = "--load", paramLabel = "FILE",
            description = "RTFS file evaluated before the config for its definitions (e.g. profile macros); repeatable.")
    List<String> loads = new ArrayList<>();

    @Option(names = "--image", paramLabel = "DIR",
            description = "Where `image build` wrote the guest; the config's image paths are relative to it (default: "
                    + "${DEFAULT-VALUE}). A symlink (`image promote --link`) is resolved once, at start: the run keeps "
                    + "that directory even if the link moves.")
    String image = ".";

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Sockets, console log and causal chain of the run (default: a new directory under /tmp).")
    String runDir;

    @Option(names = "--chain-key", paramLabel = "PATH",
            description = "Host key that signs the causal chain's head, created on first use (mode 0600) "
                    + "(default: $RTFS_MICROVM_HOME/chain-key, else ~/.local/state/rtfs-microvm/chain-key).")
    String chainKey;

    @Option(names = "--vmm", paramLabel = "VMM", description = "qemu, firecracker or cloud-hypervisor (default: ${DEFAULT-VALUE}).")
    String vmm = "qemu";

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr (errors are still printed).")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat chosen = DiagnosticOutput.textOrJson(format);
        if (!vmm.equals("qemu")) {
            if (!vmm.equals("firecracker") && !vmm.equals("cloud-hypervisor")) {
                throw new UsageException("unknown --vmm '" + vmm + "' (expected qemu, firecracker or cloud-hypervisor)");
            }
            throw new UsageException("--vmm " + vmm + " needs a usable /dev/kvm and its binary; `run` drives QEMU microvm "
                    + "(software emulation when there is no KVM) — use --vmm qemu, or `synth --target " + vmm
                    + "` for its spec");
        }
        CliIo.Inputs inputs = CliIo.readAll(loads, config, plan);
        if (!inputs.refused().isEmpty()) {
            return DiagnosticOutput.printRefused(out, chosen, inputs.refused());
        }
        Progress progress = Progress.of("run", quiet, err);
        RunRequest request;
        try {
            request = request(inputs.sources(), err, progress);
        } catch (InvalidPathException e) {
            throw new UsageException("invalid path: " + e.getInput());
        } catch (IOException e) {
            throw new UsageException(String.valueOf(e.getMessage()));
        }
        if (request == null) {
            return Main.FAILED;
        }
        return execute(request, inputs.sources(), chosen, out, err, progress);
    }

    /**
     * Runs {@code request} and prints its outcome (text: the step table and the egress decisions); shared with
     * {@code demo}. Each phase goes to {@code progress} as it happens.
     */
    static int execute(RunRequest request, Map<String, SourceFile> sources, ReportFormat format, PrintWriter out,
            PrintWriter err, Progress progress) {
        RunReport report;
        try {
            report = new Supervisor(VmSynthesizer.standard(), new ProcessVmLauncher()).run(request,
                    e -> progress.line(e.message()));
        } catch (IOException e) {
            throw new UsageException(String.valueOf(e.getMessage()));
        }
        if (!report.refusals().isEmpty()) {
            out.print(format.render(new CheckReport(bySource(report.refusals(), sources)), false));
            if (format == ReportFormat.TEXT) {
                out.println("refused: nothing was started");
            }
            out.flush();
            return Main.FAILED;
        }
        if (format == ReportFormat.JSON) {
            out.println(RunReportJson.write(report));
        } else {
            out.print(RunTable.render(report));
            out.print(RunTable.renderEgress(report));
        }
        out.flush();
        return report.succeeded() ? Main.OK : Main.FAILED;
    }

    /** The run of the files {@code sources} holds, read once here at the edge (bounded): the supervisor reads none. */
    private RunRequest request(Map<String, SourceFile> sources, PrintWriter err, Progress progress) throws IOException {
        Path given = Path.of(image).toAbsolutePath().normalize();
        if (!Files.isDirectory(given)) {
            err.println("error: no guest image in " + given + " (the directory does not exist); "
                    + "build one with `rtfs-microvm image build --out " + image + "`");
            err.flush();
            return null;
        }
        // Resolved once, here: a link that `image promote` moves later does not change this run (that is the drain).
        ImageLayout layout = new ImageLayout(given.toRealPath());
        if (!layout.root().equals(given)) {
            progress.line("image " + given + " -> " + layout.root());
        }
        if (!Files.isRegularFile(layout.initramfs())) {
            err.println("error: no guest image in " + layout.root() + " (" + layout.initramfs() + " is missing); "
                    + "build one with `rtfs-microvm image build --out " + image + "`");
            err.flush();
            return null;
        }
        Path run = runDir != null ? Path.of(runDir) : Files.createTempDirectory(Path.of("/tmp"), "rtfs-run-");
        Optional<Path> caps = Files.isRegularFile(layout.capabilities()) ? Optional.of(layout.capabilities()) : Optional.empty();
        return RunRequest.of(sources.get(config), sources.get(plan), layout.root(), run)
                .withLoads(loads.stream().map(sources::get).toList())
                .withGuest(layout.initramfs(), caps)
                .withChainKey(chainKey != null ? Path.of(chainKey) : HostKey.defaultPath());
    }

    /** One report per source file the diagnostics point into (config, --load files, plan). */
    static List<FileReport> bySource(List<Diagnostic> diagnostics, Map<String, SourceFile> sources) {
        Map<String, List<Diagnostic>> grouped = new LinkedHashMap<>();
        for (Diagnostic d : diagnostics) {
            grouped.computeIfAbsent(d.span().source(), k -> new ArrayList<>()).add(d);
        }
        List<FileReport> reports = new ArrayList<>();
        grouped.forEach((source, ds) -> reports.add(FileReport.of(source, ds, sources, false)));
        return reports;
    }
}
