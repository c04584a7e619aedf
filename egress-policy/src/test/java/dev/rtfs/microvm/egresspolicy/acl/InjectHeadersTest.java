package dev.rtfs.microvm.egresspolicy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code inject_headers}: references to host secrets per domain, validated with positions, written back as references. */
class InjectHeadersTest {

    static final String DOC = """
            {"agent_id":"a","allow_domains":["api.example.com"],"inject_headers":{
              "API.Example.com.":[{"name":"Authorization","env":"API_TOKEN","prefix":"Bearer "},
                                  {"name":"X-Key","file":"/run/secrets/key"}],
              "*.svc.example.com":[{"name":"X-Token","env":"SVC"}]}}""";

    static String doc(String injectJson) {
        return "{\"agent_id\":\"a\",\"inject_headers\":" + injectJson + "}";
    }

    @Test
    void injectedHeadersAreReadAsReferencesPerNormalizedDomain() {
        AgentAcl acl = AclCodec.parseAgent(DOC);
        assertThat(acl.injectHeaders()).containsOnlyKeys("api.example.com", "*.svc.example.com");
        assertThat(acl.injectHeaders().get("api.example.com")).containsExactly(
                new InjectedHeader("Authorization", new SecretRef.Env("API_TOKEN"), "Bearer "),
                new InjectedHeader("X-Key", new SecretRef.SecretFile("/run/secrets/key"), ""));
    }

    @Test
    void aDocumentWithInjectedHeadersRoundTripsAndCarriesOnlyReferences() {
        AgentAcl acl = AclCodec.parseAgent(DOC);
        String json = AclCodec.toJson(acl);
        assertThat(json).contains("\"env\":\"API_TOKEN\"").contains("\"file\":\"/run/secrets/key\"")
                .contains("\"prefix\":\"Bearer \"");
        assertThat(AclCodec.parseAgent(json)).isEqualTo(acl);
        assertThat(AclCodec.toJson(AgentAcl.strictDefaults("a"))).doesNotContain("inject_headers");
    }

    @Test
    void aHeaderWithBothOrNeitherSourceIsRefusedAtItsPosition() {
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[{\"name\":\"A\",\"env\":\"E\",\"file\":\"/f\"}]}")))
                .hasMessageContaining("$.inject_headers[\"x.com\"][0]").hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[{\"name\":\"A\"}]}")))
                .hasMessageContaining("$.inject_headers[\"x.com\"][0]").hasMessageContaining("exactly one of");
    }

    @Test
    void headersThatFrameOrRouteTheRequestCannotBeInjected() {
        for (String name : List.of("Host", "content-length", "Transfer-Encoding", "Connection", "Proxy-Authorization")) {
            assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[{\"name\":\"" + name + "\",\"env\":\"E\"}]}")))
                    .as(name).isInstanceOf(AclFormatException.class)
                    .hasMessageContaining("$.inject_headers[\"x.com\"][0].name").hasMessageContaining("cannot be injected");
        }
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[{\"name\":\"Bad Name\",\"env\":\"E\"}]}")))
                .hasMessageContaining("[0].name").hasMessageContaining("not an HTTP header name");
    }

    @Test
    void aLineBreakInAPrefixABadVariableOrARelativePathIsRefused() {
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[{\"name\":\"A\",\"env\":\"E\",\"prefix\":\"a\\r\\nB: c\"}]}")))
                .hasMessageContaining("[0].prefix");
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[{\"name\":\"A\",\"env\":\"1BAD-NAME\"}]}")))
                .hasMessageContaining("[0].env").hasMessageContaining("environment variable name");
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[{\"name\":\"A\",\"file\":\"secrets/key\"}]}")))
                .hasMessageContaining("[0].file").hasMessageContaining("absolute host path");
    }

    @Test
    void aNameInjectedTwiceForOneDomainOrMoreThanSixteenHeadersAreRefused() {
        assertThatThrownBy(() -> AclCodec.parseAgent(doc(
                "{\"x.com\":[{\"name\":\"X-A\",\"env\":\"E\"},{\"name\":\"x-a\",\"env\":\"F\"}]}")))
                .hasMessageContaining("$.inject_headers[\"x.com\"][1].name").hasMessageContaining("twice");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add("{\"name\":\"X-" + i + "\",\"env\":\"E\"}");
        }
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[" + String.join(",", many) + "]}")))
                .hasMessageContaining("$.inject_headers[\"x.com\"]").hasMessageContaining("1..16");
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"x.com\":[]}"))).hasMessageContaining("1..16");
    }

    @Test
    void aBadDomainKeyIsRefusedLikeAnAllowlistEntry() {
        assertThatThrownBy(() -> AclCodec.parseAgent(doc("{\"*.com\":[{\"name\":\"A\",\"env\":\"E\"}]}")))
                .hasMessageContaining("$.inject_headers[\"*.com\"]").hasMessageContaining("too broad");
    }

    @Test
    void aStepAclHasNoInjectedHeadersOfItsOwnAndWithStepDropsTheAgents() {
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"agent_id\":\"a\",\"step\":\"s\",\"inject_headers\":"
                + "{\"x.com\":[{\"name\":\"A\",\"env\":\"E\"}]}}"))
                .hasMessageContaining("$.inject_headers").hasMessageContaining("per agent, not per step");
        AgentAcl agent = AclCodec.parseAgent(DOC);
        assertThat(agent.withStep("s").injectHeaders()).isEmpty();
        assertThatThrownBy(() -> agent.toBuilder().step("s").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inject_headers");
    }

    @Test
    void theBuilderAppliesTheSameRules() {
        assertThatThrownBy(() -> AgentAcl.builder("a").injectHeaders(Map.of("x.com", List.of(
                new InjectedHeader("X-A", new SecretRef.Env("E")), new InjectedHeader("X-A", new SecretRef.Env("F"))))))
                .hasMessageContaining("inject_headers[\"x.com\"][1].name").hasMessageContaining("twice");
        assertThatThrownBy(() -> new InjectedHeader("Host", new SecretRef.Env("E"))).hasMessageContaining("name");
    }
}
