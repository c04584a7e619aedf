package dev.rtfs.microvm.orchestrator.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.orchestrator.Plans;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import org.junit.jupiter.api.Test;

/** The per-step ACL is a document the egress proxy's own codec accepts unchanged (networked and deny-all). */
class StepAclCodecTest {

    @Test
    void stepAclsRoundTripThroughTheProxyCodec() {
        AdmissionResult r = Plans.admit(SyntheticStepProfileTest.PLAN);
        assertThat(r.admitted()).isTrue();
        for (StepProfile p : r.profiles()) {
            AgentAcl acl = p.toAgentAcl("agent.a");
            String json = AclCodec.toJson(acl);
            assertThat(AclCodec.parseAgent(json)).as(json).isEqualTo(acl);
            assertThat(AclCodec.parseAgent(json, "agent.a").step()).contains(p.step());
        }
        String networked = AclCodec.toJson(r.profiles().get(1).toAgentAcl("agent.a"));
        assertThat(networked).contains("\"allow_domains\":[\"api.example.com\"]").contains("\"connect_ports\":[443,8443]")
                .contains("\"step\":\"Synthesize\"").contains("\"dlp\":\"strict\"");
        String denyAll = AclCodec.toJson(r.profiles().get(0).toAgentAcl("agent.a"));
        assertThat(denyAll).contains("\"allow_domains\":[]");
    }
}
