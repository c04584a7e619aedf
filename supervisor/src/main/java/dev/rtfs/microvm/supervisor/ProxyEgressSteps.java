package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;

/** {@link EgressSteps} on the in-process egress proxy: set the step ACL, clear it (deny-all) after the step. */
final class ProxyEgressSteps implements EgressSteps {

    private final EgressProxy proxy;

    public ProxyEgressSteps(EgressProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public void enter(String agentId, AgentAcl stepAcl) {
        proxy.setStep(agentId, stepAcl);
    }

    @Override
    public void leave(String agentId) {
        proxy.clearStep(agentId);
    }
}
