package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.kubernetes.KataRuntime;
import dev.rtfs.microvm.kubernetes.KubernetesOptions;
import dev.rtfs.microvm.kubernetes.KubernetesResult;
import dev.rtfs.microvm.kubernetes.KubernetesSynthesizer;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code synth --target kubernetes CONFIG} and {@code synth --target kubernetes-proxy CONFIG...}: the manifests as
 * multi-document YAML on stdout (exit 0, warnings on stderr); an invalid config, or one the cluster cannot express,
 * is refused with the diagnostics {@code check --target kubernetes} prints (exit 1); usage errors exit 2.
 */
final class KubernetesSynth {

    static final String AGENT_TARGET = "kubernetes";
    static final String PROXY_TARGET = "kubernetes-proxy";

    /** The Kubernetes options of {@code synth}, as given (null when absent). */
    record Request(String target, List<String> configs, List<String> loads, String namespace, String proxyNamespace,
                   String imageRef, String runtimeClass, boolean withRuntimeClass, String plan, ReportFormat format) {}

    private KubernetesSynth() {}

    static boolean isTarget(String target) {
        return AGENT_TARGET.equals(target) || PROXY_TARGET.equals(target);
    }

    static int run(Request req, PrintWriter out, PrintWriter err) {
        boolean proxy = PROXY_TARGET.equals(req.target());
        if (req.imageRef() == null || req.imageRef().isBlank()) {
            throw new UsageException("--target " + req.target() + " needs --image-ref REF (the OCI image, ideally @sha256:...)");
        }
        if (!proxy && req.configs().size() != 1) {
            throw new UsageException("--target kubernetes takes one CONFIG (several only for --target kubernetes-proxy)");
        }
        if (proxy && (req.plan() != null || req.withRuntimeClass())) {
            throw new UsageException("--plan and --with-runtime-class are options of --target kubernetes, not kubernetes-proxy");
        }
        String namespace = label("--namespace", req.namespace(), KubernetesOptions.DEFAULT_NAMESPACE);
        String proxyNamespace = label("--proxy-namespace", req.proxyNamespace(), KubernetesOptions.DEFAULT_PROXY_NAMESPACE);
        String runtimeName = req.runtimeClass() == null ? KataRuntime.KATA_FC.handler() : req.runtimeClass();
        KataRuntime runtime = KataRuntime.fromHandler(runtimeName).orElseThrow(() ->
                new UsageException("unknown --runtime-class '" + runtimeName + "' (expected kata-fc or kata-qemu)"));

        List<String> files = new ArrayList<>(req.configs());
        if (req.plan() != null) files.add(req.plan());
        CliIo.Inputs inputs = CliIo.readAll(req.loads(), files.toArray(String[]::new));
        if (!inputs.refused().isEmpty()) {
            return DiagnosticOutput.printRefused(out, req.format(), inputs.refused());
        }
        Map<String, SourceFile> sources = inputs.sources();
        List<SourceFile> loaded = req.loads().stream().map(sources::get).toList();
        List<ConfigCheckResult> checked = req.configs().stream().map(c -> ConfigLoader.load(loaded, sources.get(c))).toList();
        List<FileReport> invalid = checked.stream().filter(c -> c.validated().isEmpty())
                .map(c -> FileReport.of(c, false)).toList();
        if (!invalid.isEmpty()) {
            if (req.format() == ReportFormat.TEXT) {
                err.println("error: " + invalid.stream().map(FileReport::file).toList() + " has errors; no manifests were synthesized");
                err.flush();
            }
            return DiagnosticOutput.printRefused(out, req.format(), invalid);
        }
        List<ValidatedConfig> configs = checked.stream().map(c -> c.validated().orElseThrow()).toList();
        KubernetesResult result;
        if (proxy) {
            result = KubernetesSynthesizer.proxy(configs, proxyNamespace, req.imageRef());
        } else {
            KubernetesOptions options = KubernetesOptions.defaults(req.imageRef()).withNamespace(namespace)
                    .withProxyNamespace(proxyNamespace).withRuntime(runtime, req.withRuntimeClass());
            if (req.plan() != null) options = options.withPlan(sources.get(req.plan()));
            result = KubernetesSynthesizer.agent(configs.getFirst(), options);
        }
        String shown = String.join(" ", req.configs());
        return switch (result) {
            case KubernetesResult.Synthesized s -> {
                if (checked.stream().anyMatch(ConfigCheckResult::hasWarnings)) {
                    err.println("note: the agent config has warnings; see `rtfs-microvm check " + shown + "`");
                }
                if (!s.diagnostics().isEmpty()) {
                    err.print(ReportFormat.TEXT.render(new CheckReport(List.of(
                            FileReport.of(shown, s.diagnostics(), allSources(checked), false))), false));
                }
                out.print(s.yaml());
                out.flush();
                err.flush();
                yield Main.OK;
            }
            case KubernetesResult.Refused r -> {
                if (req.format() == ReportFormat.TEXT) {
                    err.println("error: refused to synthesize " + req.target() + " manifests for " + shown);
                    err.flush();
                }
                yield DiagnosticOutput.printRefused(out, req.format(), reports(checked, r.diagnostics()));
            }
        };
    }

    /** Each config's own diagnostics with the Kubernetes ones that point into it (the rest on the first). */
    private static List<FileReport> reports(List<ConfigCheckResult> checked, List<Diagnostic> kubernetes) {
        List<FileReport> out = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            ConfigCheckResult c = checked.get(i);
            boolean first = i == 0;
            List<Diagnostic> all = new ArrayList<>(c.diagnostics());
            kubernetes.stream().filter(d -> d.span().source().equals(c.file())
                    || (first && checked.stream().noneMatch(o -> o.file().equals(d.span().source())))).forEach(all::add);
            out.add(FileReport.of(c.file(), all, c.sources(), false));
        }
        return out;
    }

    private static Map<String, SourceFile> allSources(List<ConfigCheckResult> checked) {
        Map<String, SourceFile> out = new LinkedHashMap<>();
        checked.forEach(c -> out.putAll(c.sources()));
        return out;
    }

    private static String label(String option, String value, String fallback) {
        if (value == null) return fallback;
        if (!KubernetesOptions.isNamespace(value)) {
            throw new UsageException(option + " '" + value + "' is not a DNS-1123 label (lowercase letters, digits, '-', at most 63)");
        }
        return value;
    }

    /** {@code check --target kubernetes}: the crosswalk diagnostics of a valid config, added to its own. */
    static List<Diagnostic> checkDiagnostics(ConfigCheckResult result) {
        List<Diagnostic> all = new ArrayList<>(result.diagnostics());
        result.validated().ifPresent(v -> all.addAll(KubernetesSynthesizer.check(v.config(), Optional.empty())));
        return all;
    }
}
