package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.diag.DiagnosticCode;

/**
 * The codes of Kubernetes synthesis ({@code check --target kubernetes}, {@code synth --target kubernetes}): errors for
 * what a cluster cannot express (synthesis is refused, never weakened), warnings for each guarantee the cluster
 * carries more weakly than a single host (kubernetes/README.md has the crosswalk).
 */
public enum KubernetesCode implements DiagnosticCode {
    KUBERNETES_HOST_SECRET("A host-side TLS file or credential the node proxy cannot read"),
    KUBERNETES_GPU("A GPU the Kata MicroVM cannot be given"),
    KUBERNETES_DUPLICATE_AGENT("Two configs give the proxy the same agent name"),
    KUBERNETES_ATTESTATION_WEAKER("Attestation is Kata's asset hash checks and the image digest, no remote attestation"),
    KUBERNETES_CONTROL_PLANE_ABSENT("The control plane (vsock) and the causal chain are not carried to the cluster"),
    KUBERNETES_SHARED_PROXY("Egress goes through the node's shared proxy, identified by a ServiceAccount token"),
    KUBERNETES_DNS_KUBE_DNS("The agent pod may query kube-dns"),
    KUBERNETES_KERNEL_NOT_CARRIED("The cluster boots Kata's guest kernel, not the config's"),
    KUBERNETES_IMAGE_NOT_PINNED("--image-ref has no @sha256: digest"),
    KUBERNETES_VM_SIZING_INEXACT("The Kata VM cannot be sized exactly as :microvm :resources says");

    private final String description;

    KubernetesCode(String description) {
        this.description = description;
    }

    @Override
    public String namespace() {
        return "kubernetes";
    }

    @Override
    public String description() {
        return description;
    }
}
