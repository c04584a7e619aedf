package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.Capabilities;
import dev.rtfs.microvm.agentconfig.model.Egress;
import dev.rtfs.microvm.agentconfig.model.EgressVia;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.agentconfig.model.Resources;
import dev.rtfs.microvm.agentconfig.model.Toggle;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The crosswalk of a config to a cluster, as diagnostics at the config field they concern: an error for each
 * thing the cluster cannot express (synthesis is then refused: never a silently weaker manifest), a warning for each
 * guarantee the cluster carries more weakly than a single host. kubernetes/README.md lists the same rows.
 */
public final class KubernetesChecks {

    private KubernetesChecks() {}

    /** The diagnostics of {@code config} on a cluster; {@code imageRef} when known (synth), empty for {@code check}. */
    public static List<Diagnostic> of(AgentConfig config, Optional<String> imageRef) {
        List<Diagnostic> out = new ArrayList<>();
        config.egress().ifPresent(e -> hostSecrets(e, out));
        config.capabilities().flatMap(Capabilities::gpu).ifPresent(g -> gpu(g, out));
        boolean network = config.networkEnabled().orElse(false)
                && config.egressVia().map(v -> v == EgressVia.PROXY).orElse(false);
        if (config.attestationEnabled().orElse(false)) {
            Span at = config.attestation().map(a -> a.keySpan()).orElse(config.span());
            out.add(Diagnostic.warning(KubernetesCode.KUBERNETES_ATTESTATION_WEAKER, "microvm.attestation",
                    "on the cluster the rootfs hash is not measured: the agent's filesystem is its OCI image, pulled by "
                            + "digest, and Kata checks only its own assets' hashes (no remote attestation on Firecracker)",
                    "pin --image-ref by @sha256: digest; set the guest kernel and image hashes in Kata's configuration",
                    at));
        }
        Span chain = config.vsock().map(v -> v.keySpan())
                .or(() -> config.causalChain().map(c -> c.keySpan())).orElse(config.span());
        out.add(Diagnostic.warning(KubernetesCode.KUBERNETES_CONTROL_PLANE_ABSENT,
                config.vsock().isPresent() ? "microvm.devices.vsock" : "",
                "the host control plane and its hash-chained causal chain do not reach the cluster (Kata gives a pod no "
                        + "host vsock): steps are not recorded",
                "keep runs that need a causal chain on a single host (`run`)", chain));
        if (network) {
            Span via = config.egress().flatMap(Egress::via).map(Located::keySpan).orElse(config.span());
            out.add(Diagnostic.warning(KubernetesCode.KUBERNETES_SHARED_PROXY, "network.egress.via",
                    "egress goes through the node's shared proxy (DaemonSet), not a listener of the agent's own; the "
                            + "agent is identified by its projected ServiceAccount token, and the proxy enforces the "
                            + "agent-wide ACL, not per-step ACLs", "", via));
        }
        out.add(Diagnostic.warning(KubernetesCode.KUBERNETES_DNS_KUBE_DNS, network ? "network" : "",
                "the agent pod may query kube-dns (UDP and TCP 53): names resolve outside the proxy's allowlist, a "
                        + "low-rate channel out of the pod", "", config.network().map(n -> n.keySpan()).orElse(config.span())));
        config.kernel().ifPresent(k -> out.add(Diagnostic.warning(KubernetesCode.KUBERNETES_KERNEL_NOT_CARRIED,
                "microvm.kernel.image", "the cluster boots the guest kernel Kata is configured with, not "
                        + config.kernelImage().orElse("the config's kernel") + " (only :cmdline is carried)",
                "install the kernel in the Kata runtime's configuration on every node",
                k.image().map(Located::span).orElse(k.keySpan()))));
        imageRef.filter(r -> !r.contains("@sha256:")).ifPresent(r -> out.add(Diagnostic.warning(
                KubernetesCode.KUBERNETES_IMAGE_NOT_PINNED, "", "--image-ref " + r + " has no @sha256: digest: the "
                        + "image a node pulls is whatever the tag names then", "use REPOSITORY@sha256:<digest>", Span.NONE)));
        config.resources().ifPresent(r -> sizing(r, out));
        return out;
    }

    private static void hostSecrets(Egress e, List<Diagnostic> out) {
        e.upstreamCa().ifPresent(ca -> out.add(hostSecret("network.egress.upstream_ca", ca.keySpan())));
        e.clientCerts().ifPresent(c -> out.add(hostSecret("network.egress.client_cert", c.keySpan())));
        e.credentials().ifPresent(c -> out.add(hostSecret("network.egress.credentials", c.keySpan())));
    }

    private static Diagnostic hostSecret(String path, Span at) {
        return Diagnostic.error(KubernetesCode.KUBERNETES_HOST_SECRET, path,
                ":" + path.substring(path.lastIndexOf('.') + 1) + " names files or variables of the host, which the "
                        + "node proxy's pod cannot read: the cluster cannot express it",
                "remove it for the kubernetes target, or run the agent on a single host", at);
    }

    private static void gpu(Toggle g, List<Diagnostic> out) {
        g.enabled().filter(Located::value).ifPresent(on -> out.add(Diagnostic.error(KubernetesCode.KUBERNETES_GPU,
                "capabilities.gpu.enabled", "a Kata MicroVM on kata-fc or kata-qemu is given no GPU",
                "set :gpu {:enabled false}", on.span())));
    }

    private static void sizing(Resources r, List<Diagnostic> out) {
        if (r.vcpus().isEmpty() || r.memMb().isEmpty()) return;
        KataSizing s = KataSizing.of(r.vcpus().get().value(), r.memMb().get().value());
        if (s.exact()) return;
        out.add(Diagnostic.warning(KubernetesCode.KUBERNETES_VM_SIZING_INEXACT, "microvm.resources",
                "the Kata VM gets " + s.vmVcpus() + " vCPUs and " + s.vmMemoryMb() + " MiB, not " + s.vcpus() + " and "
                        + s.memMb() + ": it is " + KataSizing.BASE_VCPUS + " vCPU and " + KataSizing.BASE_MEMORY_MB
                        + " MiB plus the container's limits, which must be positive",
                "ask for at least " + (KataSizing.BASE_VCPUS + 1) + " vCPUs and "
                        + (KataSizing.BASE_MEMORY_MB + KataSizing.MIN_MEMORY_LIMIT_MI) + " MiB to size it exactly", r.keySpan()));
    }
}
