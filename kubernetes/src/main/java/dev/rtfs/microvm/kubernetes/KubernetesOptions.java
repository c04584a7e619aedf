package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.rtfslang.SourceFile;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code synth --target kubernetes} is told besides the config.
 *
 * @param namespace        the agents' namespace ({@code --namespace}, default {@code default})
 * @param proxyNamespace   the egress proxy's namespace ({@code --proxy-namespace}, default {@code rtfs-egress})
 * @param imageRef         the agent's OCI image ({@code --image-ref}); pin it by digest
 * @param runtime          the Kata RuntimeClass ({@code --runtime-class}, default {@code kata-fc})
 * @param withRuntimeClass also emit the RuntimeClass and the Kata drop-in ({@code --with-runtime-class})
 * @param plan             a plan to run once: the agent becomes a Job ({@code --plan})
 */
public record KubernetesOptions(
        String namespace, String proxyNamespace, String imageRef, KataRuntime runtime, boolean withRuntimeClass,
        Optional<SourceFile> plan) {

    public static final String DEFAULT_NAMESPACE = "default";
    public static final String DEFAULT_PROXY_NAMESPACE = "rtfs-egress";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** Whether {@code s} can name a namespace: a DNS-1123 label (lowercase letters, digits, '-', at most 63). */
    public static boolean isNamespace(String s) {
        return DNS_LABEL.matcher(s).matches();
    }

    public KubernetesOptions {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(proxyNamespace);
        Objects.requireNonNull(imageRef);
        Objects.requireNonNull(runtime);
        Objects.requireNonNull(plan);
    }

    /** Default namespaces, {@code kata-fc}, no RuntimeClass, no plan. */
    public static KubernetesOptions defaults(String imageRef) {
        return new KubernetesOptions(DEFAULT_NAMESPACE, DEFAULT_PROXY_NAMESPACE, imageRef, KataRuntime.KATA_FC, false,
                Optional.empty());
    }

    public KubernetesOptions withNamespace(String ns) {
        return new KubernetesOptions(ns, proxyNamespace, imageRef, runtime, withRuntimeClass, plan);
    }

    public KubernetesOptions withProxyNamespace(String ns) {
        return new KubernetesOptions(namespace, ns, imageRef, runtime, withRuntimeClass, plan);
    }

    public KubernetesOptions withRuntime(KataRuntime r, boolean emitRuntimeClass) {
        return new KubernetesOptions(namespace, proxyNamespace, imageRef, r, emitRuntimeClass, plan);
    }

    public KubernetesOptions withPlan(SourceFile p) {
        return new KubernetesOptions(namespace, proxyNamespace, imageRef, runtime, withRuntimeClass, Optional.of(p));
    }

    /** The proxy's address as the agent's HTTP(S)_PROXY. */
    public String proxyUrl() {
        return "http://" + ProxyManifests.NAME + "." + proxyNamespace + ".svc.cluster.local:" + ProxyManifests.PROXY_PORT;
    }
}
