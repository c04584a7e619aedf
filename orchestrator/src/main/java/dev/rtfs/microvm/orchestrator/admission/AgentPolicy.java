package dev.rtfs.microvm.orchestrator.admission;

import java.util.List;
import java.util.Objects;

/**
 * The part of an agent config that admission and step profiles need. Kept apart from the config model so the
 * core is tested without it; {@code from(AgentConfig)} derives it from a validated config.
 *
 * @param networkEnabled {@code :network :enabled true} with egress {@code :via :proxy}
 * @param nicEnabled     {@code :microvm :devices :nic :enabled true}
 * @param allowDomains   {@code :network :egress :allow-domains} (hostnames or {@code *.suffix} patterns)
 * @param dlp            "strict", "lenient" or "off", handed to the proxy ACL
 */
public record AgentPolicy(
        String agentId, boolean networkEnabled, boolean nicEnabled, List<String> allowDomains, boolean llmEnabled,
        boolean gpuEnabled, String dlp) {

    public AgentPolicy {
        Objects.requireNonNull(agentId);
        allowDomains = List.copyOf(allowDomains);
        Objects.requireNonNull(dlp);
    }

    /** Network effects are possible only with both the network and the NIC on. */
    public boolean egressPossible() {
        return networkEnabled && nicEnabled;
    }
}
