package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import java.util.List;

/**
 * The agent-level ACL the proxy is given for a run: the config's allowlist and DLP mode, the usual methods and
 * port 443. It is the outer bound only: the proxy enforces agent ACL ∩ step ACL, and between steps nothing.
 */
final class AgentEgressAcl {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private AgentEgressAcl() {}

    static AgentAcl of(AgentPolicy policy, List<String> allowRanges) {
        List<String> domains = policy.networkEnabled() && policy.nicEnabled() ? policy.allowDomains() : List.of();
        return AgentAcl.builder(policy.agentId()).allowDomains(domains).allowMethods(METHODS).allowRanges(allowRanges)
                .dlp(policy.dlp()).build();
    }
}
