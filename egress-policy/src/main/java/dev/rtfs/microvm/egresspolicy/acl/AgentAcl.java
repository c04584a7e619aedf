package dev.rtfs.microvm.egresspolicy.acl;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent's egress rules: the per-agent document of docs/egress-acl.md, the same shape the control API accepts and
 * the orchestrator renders per plan step. Immutable, and valid and normalized by construction: every constructor,
 * factory and builder setter applies the rules of docs/egress-acl.md ({@link AclRules}, the same checks
 * {@link AclCodec} applies to a document) and keeps domains lowercase punycode, methods uppercase, CIDRs canonical
 * and every list sorted and deduplicated, so equal rules compare equal however they were written. A broken rule
 * is an {@link AclRuleException} naming the field ({@code allow_domains[0]}).
 *
 * <p>JSON (snake_case): {@code {"agent_id","step","listen","allow_domains","allow_methods","connect_ports",
 * "allow_ranges","dlp","rate":{"per_second","burst"},"max_request_bytes","max_response_bytes","max_connections","tls","tls_passthrough","tls_pins","upstream_ca",
 * "client_cert","inject_headers","service_account"}}.
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
 * @param dlp          how the proxy's DLP treats the agent's requests
 * @param rate         token bucket, empty for unlimited
 * @param maxConnections client connections the agent may hold open on its listener at once (agent ACLs only; a
 *                       step cannot change it)
 * @param tls          what the proxy does with CONNECT tunnels' TLS ({@code tls}, {@code tls_passthrough},
 *                     {@code tls_pins}, {@code upstream_ca}, {@code client_cert}); tunnel by default
 * @param injectHeaders {@code inject_headers}: domain pattern to the headers the proxy injects into intercepted
 *                     requests to it, as references to host-side secrets (agent ACLs only; a step inherits them)
 * @param serviceAccount {@code service_account}: "NAMESPACE/NAME" of the Kubernetes ServiceAccount whose projected
 *                     token identifies the agent at a shared listener ({@code --identity service-account-token})
 */
public record AgentAcl(
        String agentId,
        Optional<String> step,
        Optional<String> listen,
        List<String> allowDomains,
        List<String> allowMethods,
        List<Integer> connectPorts,
        List<String> allowRanges,
        DlpMode dlp,
        Optional<Rate> rate,
        long maxRequestBytes,
        long maxResponseBytes,
        int maxConnections,
        TlsRules tls,
        Map<String, List<InjectedHeader>> injectHeaders,
        Optional<String> serviceAccount) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 1L << 20;
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L << 20;
    /** Enough for a browser-like client's parallelism many times over, far below a process's descriptor limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    public static final int MAX_MAX_CONNECTIONS = 65_536;

    public AgentAcl {
        agentId = AclRules.agentId(Objects.requireNonNull(agentId));
        step = AclRules.step(Objects.requireNonNull(step));
        listen = AclRules.listen(Objects.requireNonNull(listen));
        allowDomains = AclRules.domains(allowDomains);
        allowMethods = AclRules.methods(allowMethods);
        connectPorts = AclRules.ports(connectPorts);
        allowRanges = AclRules.ranges(allowRanges);
        Objects.requireNonNull(dlp);
        Objects.requireNonNull(rate);
        maxRequestBytes = AclRules.bytes("max_request_bytes", maxRequestBytes);
        maxResponseBytes = AclRules.bytes("max_response_bytes", maxResponseBytes);
        maxConnections = AclRules.maxConnections(maxConnections);
        Objects.requireNonNull(tls);
        injectHeaders = AclRules.injectHeaders(step, injectHeaders);
        serviceAccount = AclRules.serviceAccount(step, Objects.requireNonNull(serviceAccount));
    }

    /** The rules without a ServiceAccount: the agent is known by its own listener. */
    public AgentAcl(String agentId, Optional<String> step, Optional<String> listen, List<String> allowDomains,
            List<String> allowMethods, List<Integer> connectPorts, List<String> allowRanges, DlpMode dlp,
            Optional<Rate> rate, long maxRequestBytes, long maxResponseBytes, int maxConnections, TlsRules tls,
            Map<String, List<InjectedHeader>> injectHeaders) {
        this(agentId, step, listen, allowDomains, allowMethods, connectPorts, allowRanges, dlp, rate, maxRequestBytes,
                maxResponseBytes, maxConnections, tls, injectHeaders, Optional.empty());
    }

    /** The rules without injected headers. */
    public AgentAcl(String agentId, Optional<String> step, Optional<String> listen, List<String> allowDomains,
            List<String> allowMethods, List<Integer> connectPorts, List<String> allowRanges, DlpMode dlp,
            Optional<Rate> rate, long maxRequestBytes, long maxResponseBytes, int maxConnections, TlsRules tls) {
        this(agentId, step, listen, allowDomains, allowMethods, connectPorts, allowRanges, dlp, rate, maxRequestBytes,
                maxResponseBytes, maxConnections, tls, Map.of());
    }

    /** The rules without TLS settings of their own: CONNECT tunnels are spliced ({@link TlsRules#TUNNEL}). */
    public AgentAcl(String agentId, Optional<String> step, Optional<String> listen, List<String> allowDomains,
            List<String> allowMethods, List<Integer> connectPorts, List<String> allowRanges, DlpMode dlp,
            Optional<Rate> rate, long maxRequestBytes, long maxResponseBytes, int maxConnections) {
        this(agentId, step, listen, allowDomains, allowMethods, connectPorts, allowRanges, dlp, rate, maxRequestBytes,
                maxResponseBytes, maxConnections, TlsRules.TUNNEL);
    }

    /** Token bucket: {@code perSecond} refill rate (positive), {@code burst} capacity (1..10^9). */
    public record Rate(double perSecond, long burst) {
        public Rate {
            perSecond = AclRules.perSecond(perSecond);
            burst = AclRules.burst(burst);
        }
    }

    /** Deny-all: no domains. Methods GET only, port 443, strict DLP, no ranges, default size caps. */
    public static AgentAcl strictDefaults(String agentId) {
        return new AgentAcl(agentId, Optional.empty(), Optional.empty(), List.of(), List.of("GET"), List.of(443),
                List.of(), DlpMode.STRICT, Optional.empty(), DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_RESPONSE_BYTES,
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

    /**
     * The same rules as the ACL of plan step {@code stepName} (the connection cap, injected headers and ServiceAccount
     * stay with the agent ACL).
     */
    public AgentAcl withStep(String stepName) {
        return toBuilder().injectHeaders(Map.of()).serviceAccount(Optional.empty()).step(stepName).maxConnections(DEFAULT_MAX_CONNECTIONS).build();
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

    /**
     * Mutable rules on the way to an {@link AgentAcl}. Each setter checks and normalizes its field at once (an
     * {@link AclRuleException} naming it), so a mistake is reported where it is made.
     */
    public static final class Builder {
        private final String agentId;
        private Optional<String> step;
        private Optional<String> listen;
        private List<String> allowDomains;
        private List<String> allowMethods;
        private List<Integer> connectPorts;
        private List<String> allowRanges;
        private DlpMode dlp;
        private Optional<Rate> rate;
        private long maxRequestBytes;
        private long maxResponseBytes;
        private int maxConnections;
        private TlsRules tls;
        private Map<String, List<InjectedHeader>> injectHeaders;
        private Optional<String> serviceAccount;

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
            tls = from.tls;
            injectHeaders = from.injectHeaders;
            serviceAccount = from.serviceAccount;
        }

        public Builder step(String stepName) {
            return step(Optional.of(stepName));
        }

        public Builder step(Optional<String> stepName) {
            step = AclRules.step(Objects.requireNonNull(stepName));
            injectHeaders = AclRules.injectHeaders(step, injectHeaders);
            serviceAccount = AclRules.serviceAccount(step, serviceAccount);
            return this;
        }

        public Builder listen(String hostPort) {
            return listen(Optional.of(hostPort));
        }

        public Builder listen(Optional<String> hostPort) {
            listen = AclRules.listen(Objects.requireNonNull(hostPort));
            return this;
        }

        /** Exact names or {@code *.suffix} patterns, any case, IDN or with a trailing dot. */
        public Builder allowDomains(List<String> domains) {
            allowDomains = AclRules.domains(domains);
            return this;
        }

        /** HTTP method tokens, any case. */
        public Builder allowMethods(List<String> methods) {
            allowMethods = AclRules.methods(methods);
            return this;
        }

        public Builder connectPorts(List<Integer> ports) {
            connectPorts = AclRules.ports(ports);
            return this;
        }

        /** CIDRs (a bare address is one host), at most a /8 of IPv4 or a /32 of IPv6. */
        public Builder allowRanges(List<String> ranges) {
            allowRanges = AclRules.ranges(ranges);
            return this;
        }

        public Builder dlp(DlpMode mode) {
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
            maxRequestBytes = AclRules.bytes("max_request_bytes", bytes);
            return this;
        }

        public Builder maxResponseBytes(long bytes) {
            maxResponseBytes = AclRules.bytes("max_response_bytes", bytes);
            return this;
        }

        public Builder maxConnections(int connections) {
            maxConnections = AclRules.maxConnections(connections);
            return this;
        }

        /** TLS handling of CONNECT tunnels (a {@link TlsRules} is checked as it is built). */
        public Builder tls(TlsRules rules) {
            tls = Objects.requireNonNull(rules);
            return this;
        }

        /**
         * Headers the proxy injects into intercepted requests per domain pattern ({@code inject_headers}): at most
         * 16 per domain, distinct names; agent ACLs only.
         */
        public Builder injectHeaders(Map<String, List<InjectedHeader>> headers) {
            injectHeaders = AclRules.injectHeaders(step, headers);
            return this;
        }

        /** {@code NAMESPACE/NAME}: the ServiceAccount whose token proves this agent at a shared listener. */
        public Builder serviceAccount(String namespaceSlashName) {
            return serviceAccount(Optional.of(namespaceSlashName));
        }

        public Builder serviceAccount(Optional<String> namespaceSlashName) {
            serviceAccount = AclRules.serviceAccount(step, Objects.requireNonNull(namespaceSlashName));
            return this;
        }

        public AgentAcl build() {
            return new AgentAcl(agentId, step, listen, allowDomains, allowMethods, connectPorts, allowRanges, dlp, rate,
                    maxRequestBytes, maxResponseBytes, maxConnections, tls, injectHeaders, serviceAccount);
        }
    }
}
