package dev.rtfs.microvm.kubernetes;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.List;
import java.util.Map;

/**
 * The agent pod's network on the cluster, the counterpart of a NIC that reaches only the proxy: it selects exactly
 * the agent's pods, allows nothing in (Ingress with no rules) and out only to kube-dns (UDP and TCP 53) and to the
 * egress proxy's pods (TCP 3128). Everything else, including the API server and other pods, is refused.
 */
public final class AgentNetworkPolicy {

    public static final int DNS_PORT = 53;

    private AgentNetworkPolicy() {}

    public static NetworkPolicy of(AgentName name, KubernetesOptions options) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(name.value()).withNamespace(options.namespace())
                .withLabels(Labels.agent(name)).endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.agent(name)).endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .withEgress(dns(), proxy(options.proxyNamespace()))
                .endSpec().build();
    }

    /** Out to the cluster's DNS (kube-dns in kube-system), UDP and TCP 53: the agent's and the proxy's. */
    static NetworkPolicyEgressRule dns() {
        return new NetworkPolicyEgressRuleBuilder().addNewTo()
                .withNewNamespaceSelector().withMatchLabels(Map.of(Labels.NAMESPACE_NAME, "kube-system")).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(Map.of("k8s-app", "kube-dns")).endPodSelector()
                .endTo().withPorts(port("UDP", DNS_PORT), port("TCP", DNS_PORT)).build();
    }

    private static NetworkPolicyEgressRule proxy(String proxyNamespace) {
        return new NetworkPolicyEgressRuleBuilder().addNewTo()
                .withNewNamespaceSelector().withMatchLabels(Map.of(Labels.NAMESPACE_NAME, proxyNamespace)).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(Map.of(Labels.NAME, ProxyManifests.NAME)).endPodSelector()
                .endTo().withPorts(List.of(port("TCP", ProxyManifests.PROXY_PORT))).build();
    }

    static NetworkPolicyPort port(String protocol, int port) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(new IntOrString(port)).build();
    }
}
