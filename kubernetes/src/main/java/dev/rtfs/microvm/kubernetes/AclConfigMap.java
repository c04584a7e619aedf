package dev.rtfs.microvm.kubernetes;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFile;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.orchestrator.admission.AgentEgressAcl;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent's egress ACL for the node proxy ({@code --acl-dir}): a ConfigMap {@code rtfs-acl-<name>} in the proxy
 * namespace holding one ACL file ({@code docs/egress-acl.md}) with the one agent that {@link AgentEgressAcl} renders
 * from the config with its {@code service_account}: the agent's identity at the shared listener (its projected
 * token's subject), written by {@link AclCodec}. No {@code listen}: the proxy's one listener serves every agent.
 */
public final class AclConfigMap {

    private static final JsonMapper JSON = JsonMapper.shared();

    private AclConfigMap() {}

    /** The agent-wide ACL of the config: the allowlist, DLP and TLS rules, no extra ranges. */
    public static AgentAcl acl(AgentConfig config) {
        return AgentEgressAcl.of(AgentPolicy.from(config), List.of());
    }

    /** The agent's ACL at the shared listener: {@link #acl}, proven by the agent's ServiceAccount. */
    public static AgentAcl sharedAcl(AgentConfig config, AgentName name, String namespace) {
        return acl(config).toBuilder().serviceAccount(namespace + "/" + name.value()).build();
    }

    /** The ACL file text, as {@link AclCodec} writes it, re-indented for people reading the ConfigMap. */
    public static String document(AgentConfig config, AgentName name, String namespace) {
        AgentAcl acl = sharedAcl(config, name, namespace);
        String json = AclCodec.toJson(new AclFile(EnforcementMode.ENFORCE, Map.of(acl.agentId(), acl), Map.of()));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json)) + "\n";
    }

    public static ConfigMap of(AgentConfig config, AgentName name, KubernetesOptions options) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(name.aclConfigMap()).withNamespace(options.proxyNamespace())
                .withLabels(Labels.acl(name)).endMetadata()
                .withData(Map.of(name.aclKey(), document(config, name, options.namespace())))
                .build();
    }
}
