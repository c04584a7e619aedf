package dev.rtfs.microvm.orchestrator.admission;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.DlpPolicy;
import dev.rtfs.microvm.agentconfig.model.EgressVia;
import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import dev.rtfs.microvm.orchestrator.capability.CapabilityCatalog;
import dev.rtfs.microvm.orchestrator.effect.Covering;
import dev.rtfs.microvm.orchestrator.effect.ParamSet;
import dev.rtfs.microvm.orchestrator.plan.Hosts;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of an agent config that admission and step profiles need. Kept apart from the config model so the
 * core is tested without it; {@link #from(AgentConfig)} derives it from a validated config.
 *
 * @param networkEnabled {@code :network :enabled true} with egress {@code :via :proxy}
 * @param nicEnabled     {@code :microvm :devices :nic :enabled true}
 * @param allowDomains   {@code :network :egress :allow-domains} (hostnames or {@code *.suffix} patterns)
 * @param dlp            the DLP mode handed to the proxy ACL
 * @param capabilities   what calls may name: {@link CapabilityCatalog#OPEN} from a config alone, closed against an
 *                       image's capability packages ({@link #withCapabilities})
 * @param tls            what the proxy does with HTTPS: interception, passthrough, pins, mTLS material and the
 *                       credential references it injects ({@link EgressTls})
 */
public record AgentPolicy(
        String agentId, boolean networkEnabled, boolean nicEnabled, List<String> allowDomains, boolean llmEnabled,
        boolean gpuEnabled, DlpMode dlp, CapabilityCatalog capabilities, EgressTls tls) {

    public AgentPolicy {
        Objects.requireNonNull(agentId);
        allowDomains = List.copyOf(allowDomains);
        Objects.requireNonNull(dlp);
        Objects.requireNonNull(capabilities);
        Objects.requireNonNull(tls);
    }

    /** A policy that tunnels HTTPS ({@link EgressTls#TUNNEL}). */
    public AgentPolicy(String agentId, boolean networkEnabled, boolean nicEnabled, List<String> allowDomains,
            boolean llmEnabled, boolean gpuEnabled, DlpMode dlp, CapabilityCatalog capabilities) {
        this(agentId, networkEnabled, nicEnabled, allowDomains, llmEnabled, gpuEnabled, dlp, capabilities, EgressTls.TUNNEL);
    }

    /** A policy that knows no image: calls are checked against the built-in contracts only. */
    public AgentPolicy(String agentId, boolean networkEnabled, boolean nicEnabled, List<String> allowDomains,
            boolean llmEnabled, boolean gpuEnabled, DlpMode dlp) {
        this(agentId, networkEnabled, nicEnabled, allowDomains, llmEnabled, gpuEnabled, dlp, CapabilityCatalog.OPEN);
    }

    /** This policy admitting calls against {@code catalog} (an image's capabilities). */
    public AgentPolicy withCapabilities(CapabilityCatalog catalog) {
        return new AgentPolicy(agentId, networkEnabled, nicEnabled, allowDomains, llmEnabled, gpuEnabled, dlp, catalog, tls);
    }

    /**
     * The policy of a config, failing closed: anything not written is off. The network counts as enabled only
     * with {@code :network :enabled true} and {@code :egress :via :proxy} (and not {@code :capabilities :http
     * :enabled false}); the allowlist is {@code :network :egress :allow-domains}, narrowed by {@code :capabilities
     * :http :egress :allow-domains} when that is written; entries that are not host names are dropped; DLP is
     * off when disabled, lenient when so written, else strict; TLS as {@link EgressTls#from} reads it.
     */
    public static AgentPolicy from(AgentConfig config) {
        boolean network = config.networkEnabled().orElse(false)
                && config.egressVia().map(v -> v == EgressVia.PROXY).orElse(false)
                && config.httpEnabled().orElse(true);
        ParamSet<String> allowed = domains(config.egressAllowDomains());
        Optional<List<String>> http = config.httpEgressAllowDomains();
        if (http.isPresent()) allowed = allowed.intersect(domains(http), Covering.DOMAINS);
        DlpMode dlp = !config.dlpEnabled().orElse(true) ? DlpMode.OFF
                : config.dlpPolicy().map(p -> p == DlpPolicy.LENIENT ? DlpMode.LENIENT : DlpMode.STRICT).orElse(DlpMode.STRICT);
        return new AgentPolicy(config.agentIdValue().orElse(""), network, config.nicEnabled().orElse(false),
                allowed.values(), config.llmEnabled().orElse(false), config.gpuEnabled().orElse(false), dlp,
                CapabilityCatalog.OPEN, EgressTls.from(config));
    }

    private static ParamSet<String> domains(Optional<List<String>> written) {
        List<String> normalized = written.orElse(List.of()).stream()
                .flatMap(d -> Hosts.normalizePattern(d).stream()).toList();
        return ParamSet.of(normalized, Covering.DOMAINS);
    }

    /** Network effects are possible only with both the network and the NIC on. */
    public boolean egressPossible() {
        return networkEnabled && nicEnabled;
    }
}
