package dev.rtfs.microvm.egresspolicy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentAclTest {

    @Test
    void aBuilderWithNothingSetGivesTheStrictDefaults() {
        assertThat(AgentAcl.builder("agent.a").build()).isEqualTo(AgentAcl.strictDefaults("agent.a"));
    }

    @Test
    void aBuilderSetsEveryRuleItIsGivenAndLeavesTheRestStrict() {
        AgentAcl a = AgentAcl.builder("agent.a").step("Fetch").listen("127.0.0.1:18001")
                .allowDomains(List.of("a.test")).allowMethods(List.of("GET", "POST")).connectPorts(List.of(8443))
                .allowRanges(List.of("10.0.0.0/8")).dlp("lenient").rate(new AgentAcl.Rate(2, 3)).maxRequestBytes(5)
                .maxResponseBytes(6).maxConnections(7).build();
        assertThat(a).isEqualTo(new AgentAcl("agent.a", Optional.of("Fetch"), Optional.of("127.0.0.1:18001"),
                List.of("a.test"), List.of("GET", "POST"), List.of(8443), List.of("10.0.0.0/8"), "lenient",
                Optional.of(new AgentAcl.Rate(2, 3)), 5, 6, 7));

        AgentAcl onlyDomains = AgentAcl.builder("agent.a").allowDomains(List.of("a.test")).build();
        AgentAcl strict = AgentAcl.strictDefaults("agent.a");
        assertThat(onlyDomains.allowMethods()).isEqualTo(strict.allowMethods());
        assertThat(onlyDomains.connectPorts()).isEqualTo(strict.connectPorts());
        assertThat(onlyDomains.dlp()).isEqualTo(strict.dlp());
        assertThat(onlyDomains.maxConnections()).isEqualTo(AgentAcl.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void aBuilderDoesNotShareTheListsItWasGiven() {
        List<String> domains = new ArrayList<>(List.of("a.test"));
        AgentAcl.Builder b = AgentAcl.builder("agent.a").allowDomains(domains);
        domains.add("b.test");
        assertThat(b.build().allowDomains()).containsExactly("a.test");
    }

    @Test
    void aBuilderRefusesAMissingRuleAsTheRecordDoes() {
        assertThatThrownBy(() -> AgentAcl.builder("agent.a").dlp(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AgentAcl.builder("agent.a").allowDomains(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void toBuilderKeepsEveryRuleItIsNotToldToChange() {
        AgentAcl a = AgentAcl.builder("agent.a").allowDomains(List.of("a.test")).maxConnections(9).build();
        AgentAcl b = a.toBuilder().listen("127.0.0.1:1").build();
        assertThat(b).isEqualTo(a.withListen("127.0.0.1:1"));
        assertThat(b.maxConnections()).isEqualTo(9);
        assertThat(b.allowDomains()).isEqualTo(a.allowDomains());
    }

    @Test
    void aStepAclTakesTheRulesButNotTheAgentsConnectionCap() {
        AgentAcl a = AgentAcl.builder("agent.a").allowDomains(List.of("a.test")).maxConnections(9).build();
        AgentAcl s = a.withStep("Fetch");
        assertThat(s.step()).contains("Fetch");
        assertThat(s.allowDomains()).containsExactly("a.test");
        assertThat(s.maxConnections()).isEqualTo(AgentAcl.DEFAULT_MAX_CONNECTIONS);
    }

    @Test
    void forStepFallsBackToGetWhenNoMethodIsGiven() {
        assertThat(AgentAcl.forStep("agent.a", "Fetch", List.of("a.test"), List.of()).allowMethods())
                .containsExactly("GET");
        assertThat(AgentAcl.forStep("agent.a", "Fetch", List.of("a.test"), List.of("POST")).allowMethods())
                .containsExactly("POST");
    }
}
