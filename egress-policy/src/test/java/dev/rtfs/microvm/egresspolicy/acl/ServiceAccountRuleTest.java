package dev.rtfs.microvm.egresspolicy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ServiceAccountRuleTest {

    @Test
    void aServiceAccountIsReadAndWrittenBack() {
        AgentAcl a = AclCodec.parseAgent("{\"agent_id\":\"agent.a\",\"service_account\":\"agents/agent-a\"}");
        assertThat(a.serviceAccount()).contains("agents/agent-a");
        assertThat(AclCodec.parseAgent(AclCodec.toJson(a))).isEqualTo(a);
        assertThat(AclCodec.toJson(a)).contains("\"service_account\":\"agents/agent-a\"");
    }

    @Test
    void anAgentWithoutOneWritesNoField() {
        assertThat(AclCodec.toJson(AgentAcl.strictDefaults("x"))).doesNotContain("service_account");
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent-a", "ns/", "/name", "ns/a/b", "NS/name", "ns/-a", "ns/a_b", "ns/a.b",
        "ns/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void aServiceAccountThatIsNotTwoDns1123LabelsIsRefusedWithItsPath(String bad) {
        assertThatThrownBy(() -> AclCodec.parseFile("{\"agents\":{\"a\":{\"service_account\":\"" + bad + "\"}}}"))
                .isInstanceOf(AclFormatException.class)
                .hasMessageContaining("$.agents.a.service_account");
    }

    @Test
    void aServiceAccountOfTheWrongTypeIsRefusedWithItsPath() {
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"agent_id\":\"a\",\"service_account\":7}"))
                .isInstanceOf(AclFormatException.class).hasMessageContaining("$.service_account");
    }

    @Test
    void aStepAclHasNoServiceAccountOfItsOwn() {
        assertThatThrownBy(() -> AclCodec.parseAgent(
                "{\"agent_id\":\"a\",\"step\":\"Fetch\",\"service_account\":\"ns/a\"}"))
                .isInstanceOf(AclFormatException.class).hasMessageContaining("$.service_account")
                .hasMessageContaining("not a step");
        AgentAcl agent = AgentAcl.builder("a").serviceAccount("ns/a").build();
        assertThat(agent.withStep("Fetch").serviceAccount()).isEmpty();
    }

    @Test
    void twoAgentsOfOneFileCannotShareAServiceAccount() {
        assertThatThrownBy(() -> AclCodec.parseFile("""
                {"agents":{"a":{"service_account":"ns/x"},"b":{"service_account":"ns/x"}}}"""))
                .isInstanceOf(AclFormatException.class).hasMessageContaining("$.agents.b.service_account")
                .hasMessageContaining("agent \"a\"");
    }

    @Test
    void theBuilderAppliesTheSameRule() {
        assertThatThrownBy(() -> AgentAcl.builder("a").serviceAccount("Bad/Name"))
                .isInstanceOf(AclRuleException.class).hasMessageContaining("service_account");
    }
}
