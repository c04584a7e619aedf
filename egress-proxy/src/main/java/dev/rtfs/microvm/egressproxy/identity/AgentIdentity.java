package dev.rtfs.microvm.egressproxy.identity;

import java.util.List;

/**
 * Which agent a request comes from, asked once per request head before its first decision. A per-agent listener
 * knows without asking ({@link ListenerIdentity}); a shared listener needs proof in the request
 * ({@link ServiceAccountTokenIdentity}).
 */
public interface AgentIdentity {

    /** {@code proxyAuthorization}: every {@code Proxy-Authorization} value of the request head, usually 0 or 1. */
    Identified identify(List<String> proxyAuthorization);

    /**
     * True when the {@code Proxy-Authorization} header is this check's credential: the proxy then takes it out of the
     * request before anything else sees it (DLP, records, logs). False at an agent's own listener, where the header is
     * ordinary guest input that DLP scans (it is still never forwarded: hop-by-hop).
     */
    boolean consumesProxyAuthorization();

    /** The agent records carry before any request proved one: the listener's agent, or "-" at a shared listener. */
    String agentBeforeRequest();
}
