package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.EgressTlsMode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The node-local egress proxy ({@code synth --target kubernetes-proxy}): ServiceAccount, DaemonSet (one proxy per
 * node, under runc: it is host-side infrastructure, not an agent), Service with {@code internalTrafficPolicy: Local}
 * (an agent's traffic never leaves its node before the proxy has decided on it) and its NetworkPolicy
 * ({@link ProxyNetworkPolicy}). The agents' ACL ConfigMaps are one projected volume, the proxy's {@code --acl-dir}; it
 * identifies each agent by its projected ServiceAccount token ({@code --identity service-account-token}).
 */
public final class ProxyManifests {

    public static final String NAME = "rtfs-egress-proxy";
    public static final int PROXY_PORT = 3128;
    public static final int METRICS_PORT = 9090;
    public static final String ACL_DIR = "/etc/rtfs-egress/acl";
    public static final String JWKS_DIR = "/etc/rtfs-egress/jwks";
    public static final String CA_DIR = "/etc/rtfs-egress/ca";
    public static final String JWKS_CONFIG_MAP = "rtfs-egress-jwks";
    public static final String CA_SECRET = "rtfs-egress-ca";

    private ProxyManifests() {}

    /** Whether some agent's proxy rules intercept TLS: then the proxy needs the shared CA Secret. */
    public static boolean intercepts(List<AgentConfig> agents) {
        return agents.stream().anyMatch(a -> a.egressTlsMode() == EgressTlsMode.INTERCEPT);
    }

    public static List<HasMetadata> of(List<AgentConfig> agents, String proxyNamespace, String imageRef) {
        boolean ca = intercepts(agents);
        List<HasMetadata> out = new ArrayList<>();
        out.add(new ServiceAccountBuilder().withMetadata(meta(NAME, proxyNamespace)).withAutomountServiceAccountToken(false)
                .build());
        out.add(daemonSet(agents, proxyNamespace, imageRef, ca));
        out.add(new ServiceBuilder().withMetadata(meta(NAME, proxyNamespace)).withNewSpec().withType("ClusterIP")
                .withInternalTrafficPolicy("Local").withSelector(Labels.proxy())
                .addNewPort().withName("proxy").withProtocol("TCP").withPort(PROXY_PORT)
                .withTargetPort(new IntOrString("proxy")).endPort()
                .addNewPort().withName("metrics").withProtocol("TCP").withPort(METRICS_PORT)
                .withTargetPort(new IntOrString("metrics")).endPort()
                .endSpec().build());
        out.add(ProxyNetworkPolicy.of(proxyNamespace));
        return out;
    }

    /** The proxy's command line after the image's {@code rtfs-microvm} entrypoint (the shared contract). */
    public static List<String> args(boolean ca) {
        List<String> args = new ArrayList<>(List.of("proxy", "--acl-dir", ACL_DIR, "--listen", "0.0.0.0:" + PROXY_PORT,
                "--identity", "service-account-token", "--token-jwks", JWKS_DIR + "/jwks.json",
                "--token-audience", AgentManifests.TOKEN_AUDIENCE, "--metrics-listen", "0.0.0.0:" + METRICS_PORT));
        if (ca) args.addAll(List.of("--ca-cert", CA_DIR + "/tls.crt", "--ca-key", CA_DIR + "/tls.key"));
        return args;
    }

    private static HasMetadata daemonSet(List<AgentConfig> agents, String ns, String imageRef, boolean ca) {
        List<VolumeProjection> acls = agents.stream().map(a -> AgentName.of(a.agentIdValue().orElse("agent")))
                .distinct().map(n -> new VolumeProjectionBuilder().withNewConfigMap().withName(n.aclConfigMap())
                        .withOptional(false).withItems(new KeyToPathBuilder().withKey(n.aclKey()).withPath(n.aclKey())
                                .build()).endConfigMap().build()).toList();
        var pod = new io.fabric8.kubernetes.api.model.PodSpecBuilder().withServiceAccountName(NAME)
                .withAutomountServiceAccountToken(false).withEnableServiceLinks(false)
                .withSecurityContext(Hardening.pod())
                .addNewVolume().withName("acl").withNewProjected().withSources(acls).endProjected().endVolume()
                .addNewVolume().withName("jwks").withNewConfigMap().withName(JWKS_CONFIG_MAP).withOptional(false)
                .endConfigMap().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir()
                .endVolume();
        var container = new ContainerBuilder().withName("proxy").withImage(imageRef).withImagePullPolicy("IfNotPresent")
                .withArgs(args(ca))
                .addNewPort().withName("proxy").withContainerPort(PROXY_PORT).withProtocol("TCP").endPort()
                .addNewPort().withName("metrics").withContainerPort(METRICS_PORT).withProtocol("TCP").endPort()
                .withReadinessProbe(probe(5)).withLivenessProbe(probe(20))
                .withResources(Hardening.resources("500m", "512Mi")).withSecurityContext(Hardening.container())
                .addToVolumeMounts(new VolumeMountBuilder().withName("acl").withMountPath(ACL_DIR).withReadOnly(true).build())
                .addToVolumeMounts(new VolumeMountBuilder().withName("jwks").withMountPath(JWKS_DIR).withReadOnly(true).build())
                .addToVolumeMounts(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (ca) {
            pod.addNewVolume().withName("ca").withNewSecret().withSecretName(CA_SECRET).withOptional(false).endSecret()
                    .endVolume();
            container.addToVolumeMounts(new VolumeMountBuilder().withName("ca").withMountPath(CA_DIR).withReadOnly(true)
                    .build());
        }
        pod.withContainers(container.build());
        return new DaemonSetBuilder().withMetadata(meta(NAME, ns)).withNewSpec()
                .withNewSelector().addToMatchLabels(Labels.NAME, NAME).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Labels.proxy()).endMetadata().withSpec(pod.build())
                .endTemplate().endSpec().build();
    }

    private static Probe probe(int periodSeconds) {
        return new ProbeBuilder().withNewHttpGet().withPath("/healthz").withPort(new IntOrString("metrics")).endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(2).withFailureThreshold(3).build();
    }

    private static ObjectMeta meta(String name, String ns) {
        return new ObjectMetaBuilder().withName(name).withNamespace(ns).withLabels(Labels.proxy()).build();
    }
}
