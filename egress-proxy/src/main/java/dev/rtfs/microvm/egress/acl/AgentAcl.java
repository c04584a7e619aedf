package dev.rtfs.microvm.egress.acl;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent's egress rules: the per-agent document of DESIGN §8, the same shape the control API accepts and
 * the orchestrator renders per plan step. Immutable; lists are sorted/deduplicated by their producers.
 *
 * <p>JSON (snake_case): {@code {"agent_id","step","listen","allow_domains","allow_methods","connect_ports",
 * "allow_ranges","dlp","rate":{"per_second","burst"},"max_request_bytes","max_response_bytes","max_connections"}}.
 * Absent fields take the strict defaults of {@link #strictDefaults(String)}.
 *
 * @param agentId   the agent the rules belong to
 * @param step      the plan step these rules are for, empty for the agent-wide ACL
 * @param listen    "host:port" of the agent's listener, empty when the proxy assigns it
 * @param allowDomains exact hostnames or {@code *.suffix} patterns, lowercase
 * @param allowMethods HTTP methods allowed for plain HTTP requests (uppercase)
 * @param connectPorts ports allowed for CONNECT tunnels
 * @param allowRanges  CIDRs an allowed hostname may resolve into even though the class is denied by default
 * @param dlp          "strict", "lenient" or "off"
 * @param rate         token bucket, empty for unlimited
 * @param maxConnections client connections the agent may hold open on its listener at once (agent ACLs only; a
 *                       step cannot change it)
 */
public record AgentAcl(
        String agentId,
        Optional<String> step,
        Optional<String> listen,
        List<String> allowDomains,
        List<String> allowMethods,
        List<Integer> connectPorts,
        List<String> allowRanges,
        String dlp,
        Optional<Rate> rate,
        long maxRequestBytes,
        long maxResponseBytes,
        int maxConnections) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 1L << 20;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;
    /** Enough for a browser-like client's parallelism many times over, far below a process's descriptor limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int MAX_MAX_CONNECTIONS = 65_536;

    /** Rules with the default {@link #DEFAULT_MAX_CONNECTIONS}. */
    public AgentAcl(String agentId, Optional<String> step, Optional<String> listen, List<String> allowDomains,
            List<String> allowMethods, List<Integer> connectPorts, List<String> allowRanges, String dlp,
            Optional<Rate> rate, long maxRequestBytes, long maxResponseBytes) {
        this(agentId, step, listen, allowDomains, allowMethods, connectPorts, allowRanges, dlp, rate, maxRequestBytes,
                maxResponseBytes, DEFAULT_MAX_CONNECTIONS);
    }

    public AgentAcl {
        Objects.requireNonNull(agentId);
        Objects.requireNonNull(step);
        Objects.requireNonNull(listen);
        allowDomains = List.copyOf(allowDomains);
        allowMethods = List.copyOf(allowMethods);
        connectPorts = List.copyOf(connectPorts);
        allowRanges = List.copyOf(allowRanges);
        Objects.requireNonNull(dlp);
        Objects.requireNonNull(rate);
    }

    /** Token bucket: {@code perSecond} refill rate, {@code burst} capacity. */
    public record Rate(double perSecond, long burst) {}

    /** Deny-all: no domains. Methods GET only, port 443, strict DLP, no ranges, default size caps. */
    public static AgentAcl strictDefaults(String agentId) {
        return new AgentAcl(agentId, Optional.empty(), Optional.empty(), List.of(), List.of("GET"), List.of(443),
                List.of(), "strict", Optional.empty(), DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESPONSE_BYTES);
    }

    public boolean deniesAll() {
        return allowDomains.isEmpty();
    }

    /** The same rules as the ACL of plan step {@code stepName} (the connection cap stays with the agent ACL). */
    public AgentAcl withStep(String stepName) {
        return new AgentAcl(agentId, Optional.of(stepName), listen, allowDomains, allowMethods, connectPorts, allowRanges,
                dlp, rate, maxRequestBytes, maxResponseBytes, DEFAULT_MAX_CONNECTIONS);
    }

    /** The same rules with listener {@code hostPort} ("127.0.0.1:18001"). */
    public AgentAcl withListen(String hostPort) {
        return new AgentAcl(agentId, step, Optional.of(hostPort), allowDomains, allowMethods, connectPorts, allowRanges,
                dlp, rate, maxRequestBytes, maxResponseBytes, maxConnections);
    }

    /**
     * A step ACL with the given domains and methods and strict defaults for the rest (port 443, strict DLP, no
     * ranges: a step inherits the agent's ranges), e.g. from a step profile's {@code network_acl}.
     */
    public static AgentAcl forStep(String agentId, String stepName, List<String> allowDomains, List<String> allowMethods) {
        AgentAcl d = strictDefaults(agentId);
        return new AgentAcl(agentId, Optional.of(stepName), Optional.empty(), allowDomains,
                allowMethods.isEmpty() ? d.allowMethods() : allowMethods, d.connectPorts(), List.of(), d.dlp(),
                Optional.empty(), d.maxRequestBytes(), d.maxResponseBytes());
    }
}
