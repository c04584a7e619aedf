package dev.rtfs.microvm.egressproxy.identity;

import java.util.List;

/**
 * A listener of one agent: the listener is the identity (it is reachable from that agent's VM only), so a request
 * needs no proof and its {@code Proxy-Authorization}, if any, is ignored (and still never forwarded).
 */
public record ListenerIdentity(String agentId) implements AgentIdentity {

    @Override
    public Identified identify(List<String> proxyAuthorization) {
        return new Identified.Agent(agentId);
    }

    @Override
    public boolean consumesProxyAuthorization() {
        return false;
    }

    @Override
    public String agentBeforeRequest() {
        return agentId;
    }
}
