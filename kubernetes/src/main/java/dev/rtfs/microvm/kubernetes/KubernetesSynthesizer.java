package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.orchestrator.admission.Admission;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import dev.rtfs.microvm.orchestrator.plan.PlanReader;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Span;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes target: a validated config as the manifests of a Kata Containers MicroVM ({@link #agent}), the
 * node-local egress proxy for a set of configs ({@link #proxy}), and the crosswalk diagnostics alone for
 * {@code check --target kubernetes} ({@link #check}). A config the cluster cannot express is refused with positioned
 * errors; each weaker guarantee is a warning beside the objects.
 */
public final class KubernetesSynthesizer {

    private KubernetesSynthesizer() {}

    /** The crosswalk diagnostics of {@code config}; {@code imageRef} adds the digest check when given. */
    public static List<Diagnostic> check(AgentConfig config, Optional<String> imageRef) {
        return KubernetesChecks.of(config, imageRef);
    }

    /**
     * In apply order: with {@code --with-runtime-class} the RuntimeClass and the drop-in ConfigMap, then the
     * ServiceAccount, the ACL ConfigMap (proxy namespace), the NetworkPolicy, and the Pod, or with a plan the plan
     * ConfigMap and the Job. A plan must be admitted against the config, as for {@code run}.
     */
    public static KubernetesResult agent(ValidatedConfig validated, KubernetesOptions options) {
        AgentConfig config = validated.config();
        List<Diagnostic> diagnostics = new ArrayList<>(check(config, Optional.of(options.imageRef())));
        if (options.plan().isPresent()) {
            AdmissionResult admitted = Admission.admit(PlanReader.read(options.plan().get()), AgentPolicy.from(config));
            diagnostics.addAll(admitted.diagnostics());
        }
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) return new KubernetesResult.Refused(diagnostics);

        AgentName name = AgentName.of(config.agentIdValue().orElse("agent"));
        List<HasMetadata> out = new ArrayList<>();
        if (options.withRuntimeClass()) {
            out.add(KataRuntimeClass.of(options.runtime()));
            out.add(KataRuntimeClass.dropIn(options.runtime(), options.proxyNamespace()));
        }
        out.add(AgentManifests.serviceAccount(name, options));
        out.add(AclConfigMap.of(config, name, options));
        out.add(AgentNetworkPolicy.of(name, options));
        Optional<SourceFile> plan = options.plan();
        if (plan.isPresent()) {
            out.add(AgentManifests.plan(name, options, plan.get().text()));
            out.add(AgentManifests.job(config, name, options));
        } else {
            out.add(AgentManifests.pod(config, name, options));
        }
        return new KubernetesResult.Synthesized(out, diagnostics);
    }

    /**
     * The proxy serving {@code configs}' agents: their ACL ConfigMaps mounted as its {@code --acl-dir}, the CA Secret
     * when one of them intercepts TLS. Refused when a config cannot be expressed or two give the same agent name.
     */
    public static KubernetesResult proxy(List<ValidatedConfig> configs, String proxyNamespace, String imageRef) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<String, AgentConfig> byName = new HashMap<>();
        List<AgentConfig> agents = new ArrayList<>();
        for (ValidatedConfig v : configs) {
            AgentConfig c = v.config();
            KubernetesChecks.of(c, Optional.empty()).stream().filter(Diagnostic::isError).forEach(diagnostics::add);
            String name = AgentName.of(c.agentIdValue().orElse("agent")).value();
            AgentConfig earlier = byName.putIfAbsent(name, c);
            if (earlier != null) {
                diagnostics.add(Diagnostic.error(KubernetesCode.KUBERNETES_DUPLICATE_AGENT, "agent-id",
                        "agent id " + c.agentIdValue().orElse("") + " gives the name " + name + ", as "
                                + earlier.agentIdValue().orElse("") + " (" + earlier.span().location() + ") does",
                        "give each agent an id of its own", c.agentId().map(a -> a.span()).orElse(c.span())));
            }
            agents.add(c);
        }
        if (!imageRef.contains("@sha256:")) {
            diagnostics.add(Diagnostic.warning(KubernetesCode.KUBERNETES_IMAGE_NOT_PINNED, "", "--image-ref " + imageRef
                    + " has no @sha256: digest: the image a node pulls is whatever the tag names then",
                    "use REPOSITORY@sha256:<digest>", Span.NONE));
        }
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) return new KubernetesResult.Refused(diagnostics);
        return new KubernetesResult.Synthesized(ProxyManifests.of(agents, proxyNamespace, imageRef), diagnostics);
    }
}
