package dev.rtfs.microvm.kubernetes;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import java.util.List;

/**
 * The proxy pods' network: in, 3128 only from agent pods (any namespace, label {@code app.kubernetes.io/name:
 * rtfs-agent}) and 9090 (metrics, health) from any pod of the cluster; out, kube-dns and the public Internet only.
 * The proxy must reach origins it cannot know in advance, so egress is every address except the classes its own
 * {@code AddressClassifier} refuses by default (private, CGNAT, link-local, loopback, ULA): the policy repeats that
 * rule at the cluster's network layer, so a bug in the proxy still cannot reach pods, nodes or the metadata service.
 */
public final class ProxyNetworkPolicy {

    static final List<String> PRIVATE_V4 = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16");
    static final List<String> PRIVATE_V6 = List.of("::/128", "::1/128", "fc00::/7", "fe80::/10");

    private ProxyNetworkPolicy() {}

    public static NetworkPolicy of(String proxyNamespace) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(ProxyManifests.NAME).withNamespace(proxyNamespace).withLabels(Labels.proxy())
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector().addToMatchLabels(Labels.NAME, ProxyManifests.NAME).endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addToIngress(new NetworkPolicyIngressRuleBuilder().addNewFrom().withNewNamespaceSelector()
                        .endNamespaceSelector().withNewPodSelector().addToMatchLabels(Labels.NAME, Labels.AGENT_APP)
                        .endPodSelector().endFrom()
                        .withPorts(AgentNetworkPolicy.port("TCP", ProxyManifests.PROXY_PORT)).build())
                .addToIngress(new NetworkPolicyIngressRuleBuilder().addNewFrom().withNewNamespaceSelector()
                        .endNamespaceSelector().endFrom()
                        .withPorts(AgentNetworkPolicy.port("TCP", ProxyManifests.METRICS_PORT)).build())
                .addToEgress(AgentNetworkPolicy.dns())
                .addToEgress(new NetworkPolicyEgressRuleBuilder()
                        .addNewTo().withNewIpBlock().withCidr("0.0.0.0/0").withExcept(PRIVATE_V4).endIpBlock().endTo()
                        .addNewTo().withNewIpBlock().withCidr("::/0").withExcept(PRIVATE_V6).endIpBlock().endTo()
                        .build())
                .endSpec().build();
    }
}
