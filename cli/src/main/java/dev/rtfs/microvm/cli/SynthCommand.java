package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.guest.image.KvmProbeInitramfs;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.SynthResult;
import dev.rtfs.microvm.vmm.Target;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import dev.rtfs.microvm.vmm.qemu.Accelerator;
import dev.rtfs.microvm.vmm.qemu.AcceleratorProbe;
import dev.rtfs.microvm.vmm.qemu.KvmBootProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm synth CONFIG [--load FILE]... --target T [--image DIR] [--run-dir DIR] [--deploy] [--expect-rootfs-hash H]}:
 * prints the hypervisor spec (Firecracker, Cloud Hypervisor or QEMU microvm) for the agent; {@code --target kubernetes}
 * and {@code kubernetes-proxy} print Kubernetes manifests instead ({@link KubernetesSynth}). Exit 0 with the spec on stdout (warnings on stderr);
 * 1 when the config has errors or the deploy checks refuse it (diagnostics on stdout in --format); 2 for usage
 * errors and unreadable files. The config's image paths are relative to {@code --image} (default: the current
 * directory), as for {@code run}; with {@code --deploy} a missing image is refused naming where it was looked for.
 */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Synthesize the VM spec (Firecracker, Cloud Hypervisor or QEMU microvm) for an agent config, or its "
                + "Kubernetes manifests (Kata Containers) and the node-local egress proxy's.")
final class SynthCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "CONFIG",
            description = "The agent.config file (several only for --target kubernetes-proxy).")
    List<String> configs = new ArrayList<>();

    String config;

    @Option(names = "--load", paramLabel = "FILE",
            description = "RTFS file evaluated before the config for its definitions (e.g. profile macros); repeatable.")
    List<String> loads = new ArrayList<>();

    @Option(names = "--target", required = true, paramLabel = "TARGET",
            description = "firecracker | firecracker-api | cloud-hypervisor | cloud-hypervisor-cli | qemu | kubernetes "
                    + "(Kata Containers manifests) | kubernetes-proxy (the node-local egress proxy for the CONFIGs)")
    String target;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "Kubernetes targets: the agents' namespace (default: default).")
    String namespace;

    @Option(names = "--proxy-namespace", paramLabel = "NS",
            description = "Kubernetes targets: the egress proxy's namespace (default: rtfs-egress).")
    String proxyNamespace;

    @Option(names = "--image-ref", paramLabel = "REF",
            description = "Kubernetes targets (required there): the OCI image of the agent (kubernetes) or of the proxy "
                    + "(kubernetes-proxy); pin it as REPOSITORY@sha256:<digest>.")
    String imageRef;

    @Option(names = "--runtime-class", paramLabel = "NAME",
            description = "--target kubernetes: the Kata RuntimeClass, kata-fc or kata-qemu (default: kata-fc).")
    String runtimeClass;

    @Option(names = "--with-runtime-class",
            description = "--target kubernetes: also emit the RuntimeClass and its Kata configuration drop-in.")
    boolean withRuntimeClass;

    @Option(names = "--plan", paramLabel = "PLAN",
            description = "--target kubernetes: run this plan once, as a Job (admitted against the config as for `run`).")
    String plan;

    @Option(names = "--image", paramLabel = "DIR", defaultValue = ".",
            description = "Where `image build` wrote the guest: the config's kernel and rootfs image paths are relative "
                    + "to it, as for `run` (default: the current directory).")
    String image;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Directory for the VM's sockets, logs and metrics (default: <tmpdir>/rtfs-microvm/<agent-id>).")
    String runDir;

    @Option(names = "--deploy", description = "Deploy mode: the rootfs must be measured and match the expected hash.")
    boolean deploy;

    @Option(names = "--expect-rootfs-hash", paramLabel = "H", description = "Expected rootfs hash, sha256:<64 hex>.")
    String expectRootfsHash;

    @Option(names = "--proxy-port", paramLabel = "PORT", defaultValue = "3128",
            description = "The agent's egress proxy port on 127.0.0.1 (QEMU guestfwd target; default: ${DEFAULT-VALUE}).")
    int proxyPort;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initramfs to boot with (QEMU needs one for the cloud kernel).")
    String initrd;

    @Option(names = "--accel", paramLabel = "MODE", defaultValue = "tcg",
            description = "QEMU accelerator: tcg, or probe (KVM only when a probe guest boots under it). Default: ${DEFAULT-VALUE}.")
    String accel;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Format of the diagnostics when refused: " + DiagnosticOutput.FORMATS + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat reportFormat = DiagnosticOutput.reportFormat(format);
        if (KubernetesSynth.isTarget(target)) {
            return KubernetesSynth.run(new KubernetesSynth.Request(target, configs, loads, namespace, proxyNamespace,
                    imageRef, runtimeClass, withRuntimeClass, plan, reportFormat), out, err);
        }
        if (namespace != null || proxyNamespace != null || imageRef != null || runtimeClass != null || withRuntimeClass
                || plan != null) {
            throw new UsageException("--namespace, --proxy-namespace, --image-ref, --runtime-class, --with-runtime-class "
                    + "and --plan are options of --target kubernetes and kubernetes-proxy only");
        }
        if (configs.size() != 1) {
            throw new UsageException("--target " + target + " takes one CONFIG (several only for --target kubernetes-proxy)");
        }
        config = configs.getFirst();
        Target tgt = Target.fromCliName(target).orElseThrow(() -> new UsageException("unknown --target '" + target
                + "' (expected " + Arrays.stream(Target.values()).map(Target::cliName).collect(Collectors.joining(", "))
                + ", " + KubernetesSynth.AGENT_TARGET + ", " + KubernetesSynth.PROXY_TARGET + ")"));
        if (!accel.equals("tcg") && !accel.equals("probe")) {
            throw new UsageException("unknown --accel '" + accel + "' (expected tcg or probe)");
        }
        if (runDir != null && runDir.isBlank()) {
            throw new UsageException("--run-dir is empty");
        }
        if (proxyPort < 1 || proxyPort > 65535) {
            throw new UsageException("--proxy-port " + proxyPort + " is out of range 1..65535");
        }

        CliIo.Inputs inputs = CliIo.readAll(loads, config);
        if (!inputs.refused().isEmpty()) {
            return report(out, reportFormat, inputs.refused());
        }
        Map<String, SourceFile> sources = inputs.sources();
        ConfigCheckResult checked = ConfigLoader.load(loads.stream().map(sources::get).toList(), sources.get(config));
        if (checked.validated().isEmpty()) {
            if (reportFormat == ReportFormat.TEXT) {
                err.println("error: the agent config " + config + " has errors; no VM spec was synthesized");
            }
            return report(out, reportFormat, List.of(FileReport.of(checked, false)));
        }
        var agent = checked.validated().get().config();

        SynthOptions options;
        try {
            Path imageDir = Path.of(image).toAbsolutePath().normalize();
            if (deploy) {
                Optional<String> missing = new ImageBase(imageDir).missing(agent);
                if (missing.isPresent()) {
                    err.println("error: " + missing.get());
                    err.println("error: refused to synthesize a " + tgt.cliName() + " spec for " + config);
                    err.flush();
                    return Main.FAILED;
                }
            }
            Path run = runDir != null ? Path.of(runDir).toAbsolutePath().normalize()
                    : Path.of(System.getProperty("java.io.tmpdir"), "rtfs-microvm", agent.agentIdValue().orElse("agent"));
            options = SynthOptions.defaults(run).withBaseDir(imageDir).withProxyPort(proxyPort).withDeploy(deploy);
            if (initrd != null) options = options.withInitrd(Path.of(initrd).toAbsolutePath().normalize());
            if (expectRootfsHash != null) options = options.withExpectRootfsHash(expectRootfsHash);
            if (deploy) {
                options = ImageLock.attestAgainstLockOf(agent, options);
            }
        } catch (InvalidPathException e) {
            throw new UsageException("invalid path: " + e.getInput());
        } catch (IOException e) {
            throw new UsageException(String.valueOf(e.getMessage()));
        }

        AcceleratorProbe probe = accel.equals("probe") ? probe(options, agent.kernelImage(), err) : AcceleratorProbe.tcg();
        SynthResult<String> result = new VmSynthesizer(new Sha256ImageMeasurer(), probe).render(checked, options, tgt);
        return switch (result) {
            case SynthResult.Synthesized<String> s -> {
                if (s.diagnostics().stream().anyMatch(d -> !d.code().name().startsWith("SYNTH_")) && !deploy) {
                    err.println("note: the agent config has warnings; see `rtfs-microvm check " + config + "`");
                }
                List<Diagnostic> own = s.diagnostics().stream().filter(d -> d.code().name().startsWith("SYNTH_")).toList();
                if (!own.isEmpty()) {
                    err.print(ReportFormat.TEXT.render(new CheckReport(List.of(
                            FileReport.of(config, own, checked.sources(), false))), false));
                }
                out.print(s.spec());
                out.flush();
                err.flush();
                yield Main.OK;
            }
            case SynthResult.Refused<String> r -> {
                if (reportFormat == ReportFormat.TEXT) {
                    err.println("error: refused to synthesize a " + tgt.cliName() + " spec for " + config);
                }
                yield report(out, reportFormat, List.of(FileReport.of(config, r.diagnostics(), checked.sources(), false)));
            }
        };
    }

    /** KVM only when a probe guest boots under it; anything missing for the probe means TCG, said on stderr. */
    private static AcceleratorProbe probe(SynthOptions options, Optional<String> kernelImage, PrintWriter err) {
        return () -> {
            try {
                Path kernel = Path.of(options.resolve(kernelImage.orElseThrow()));
                Path work = Files.createTempDirectory("rtfs-kvm-probe");
                try {
                    Path initrd = KvmProbeInitramfs.writeTo(work);
                    Accelerator a = KvmBootProbe.standard(options.binaries().qemu(), kernel, initrd, Duration.ofSeconds(15)).probe();
                    err.println("note: QEMU accelerator: " + a.qemuName());
                    return a;
                } finally {
                    try (var files = Files.list(work)) {
                        for (Path f : files.toList()) Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(work);
                }
            } catch (IOException | RuntimeException e) {
                err.println("note: KVM probe not possible (" + e.getMessage() + "): QEMU runs under TCG");
                return Accelerator.TCG;
            }
        };
    }

    private static int report(PrintWriter out, ReportFormat format, List<FileReport> files) {
        return DiagnosticOutput.printRefused(out, format, files);
    }
}
