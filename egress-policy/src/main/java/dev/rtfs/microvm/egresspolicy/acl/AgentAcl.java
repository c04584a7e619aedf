package dev.rtfs.microvm.egresspolicy.acl;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent's egress rules: the per-agent document of docs/egress-acl.md, the same shape the control API accepts and
 * the orchestrator renders per plan step. Immutable; lists are sorted/deduplicated by their producers.
 *
 * <p>JSON (snake_case): {@code {"agent_id","step","listen","allow_domains","allow_methods","connect_ports",
 * "allow_ranges","dlp","rate":{"per_second","burst"},"max_request_bytes","max_response_bytes","max_connections"}}.
 * Absent fields take the strict defaults of {@link #strictDefaults(String)}. In code, build one with
 * {@link #builder(String)} (the same strict defaults, then only what differs) rather than the twelve-argument
 * constructor.
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
                List.of(), "strict", Optional.empty(), DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESPONSE_BYTES,
                DEFAULT_MAX_CONNECTIONS);
    }

    /** Rules for {@code agentId} starting from {@link #strictDefaults(String)}: set only what differs. */
    public static Builder builder(String agentId) {
        return new Builder(strictDefaults(agentId));
    }

    /** A builder holding these rules, to derive others from them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean deniesAll() {
        return allowDomains.isEmpty();
    }

    /** The same rules as the ACL of plan step {@code stepName} (the connection cap stays with the agent ACL). */
    public AgentAcl withStep(String stepName) {
        return toBuilder().step(stepName).maxConnections(DEFAULT_MAX_CONNECTIONS).build();
    }

    /** The same rules with listener {@code hostPort} ("127.0.0.1:18001"). */
    public AgentAcl withListen(String hostPort) {
        return toBuilder().listen(hostPort).build();
    }

    /**
     * A step ACL with the given domains and methods and strict defaults for the rest (port 443, strict DLP, no
     * ranges: a step inherits the agent's ranges), e.g. from a step profile's {@code network_acl}.
     */
    public static AgentAcl forStep(String agentId, String stepName, List<String> allowDomains, List<String> allowMethods) {
        Builder b = builder(agentId).step(stepName).allowDomains(allowDomains);
        return allowMethods.isEmpty() ? b.build() : b.allowMethods(allowMethods).build();
    }

    /** Mutable rules on the way to an {@link AgentAcl}; {@link #build()} checks them like the record does. */
    public static final class Builder {
        private final String agentId;
        private Optional<String> step;
        private Optional<String> listen;
        private List<String> allowDomains;
        private List<String> allowMethods;
        private List<Integer> connectPorts;
        private List<String> allowRanges;
        private String dlp;
        private Optional<Rate> rate;
        private long maxRequestBytes;
        private long maxResponseBytes;
        private int maxConnections;

        private Builder(AgentAcl from) {
            agentId = from.agentId;
            step = from.step;
            listen = from.listen;
            allowDomains = from.allowDomains;
            allowMethods = from.allowMethods;
            connectPorts = from.connectPorts;
            allowRanges = from.allowRanges;
            dlp = from.dlp;
            rate = from.rate;
            maxRequestBytes = from.maxRequestBytes;
            maxResponseBytes = from.maxResponseBytes;
            maxConnections = from.maxConnections;
        }

        public Builder step(String stepName) {
            return step(Optional.of(stepName));
        }

        public Builder step(Optional<String> stepName) {
            step = Objects.requireNonNull(stepName);
            return this;
        }

        public Builder listen(String hostPort) {
            return listen(Optional.of(hostPort));
        }

        public Builder listen(Optional<String> hostPort) {
            listen = Objects.requireNonNull(hostPort);
            return this;
        }

        public Builder allowDomains(List<String> domains) {
            allowDomains = List.copyOf(domains);
            return this;
        }

        public Builder allowMethods(List<String> methods) {
            allowMethods = List.copyOf(methods);
            return this;
        }

        public Builder connectPorts(List<Integer> ports) {
            connectPorts = List.copyOf(ports);
            return this;
        }

        public Builder allowRanges(List<String> ranges) {
            allowRanges = List.copyOf(ranges);
            return this;
        }

        /** "strict", "lenient" or "off". */
        public Builder dlp(String mode) {
            dlp = Objects.requireNonNull(mode);
            return this;
        }

        public Builder rate(Rate bucket) {
            return rate(Optional.of(bucket));
        }

        public Builder rate(Optional<Rate> bucket) {
            rate = Objects.requireNonNull(bucket);
            return this;
        }

        public Builder maxRequestBytes(long bytes) {
            maxRequestBytes = bytes;
            return this;
        }

        public Builder maxResponseBytes(long bytes) {
            maxResponseBytes = bytes;
            return this;
        }

        public Builder maxConnections(int connections) {
            maxConnections = connections;
            return this;
        }

        public AgentAcl build() {
            return new AgentAcl(agentId, step, listen, allowDomains, allowMethods, connectPorts, allowRanges, dlp, rate,
                    maxRequestBytes, maxResponseBytes, maxConnections);
        }
    }
}
