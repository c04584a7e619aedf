package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;

/** The egress proxy as the executor programs it: one step's ACL while the step runs, deny-all otherwise. */
interface EgressSteps {

    void enter(String agentId, AgentAcl stepAcl);

    void leave(String agentId);
}
