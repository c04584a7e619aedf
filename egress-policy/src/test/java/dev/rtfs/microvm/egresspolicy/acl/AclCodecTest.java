package dev.rtfs.microvm.egresspolicy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclCodecTest {

    static final String DESIGN_EXAMPLE = """
            {"mode": "enforce",
             "agents": {
               "agent.a": {"listen": "127.0.0.1:18001",
                           "allow_domains": ["api.example.com", "*.slack.com"],
                           "allow_methods": ["GET", "POST"],
                           "connect_ports": [443],
                           "allow_ranges": [],
                           "dlp": "strict",
                           "rate": {"per_second": 50, "burst": 100},
                           "max_request_bytes": 1048576,
                           "max_response_bytes": 67108864}},
             "resolve": {"api.example.com": ["127.0.0.1"]}}
            """;

    @Test
    void readsTheDesignExample() throws Exception {
        AclFile file = AclCodec.parseFile(DESIGN_EXAMPLE);
        assertThat(file.mode()).isEqualTo(EnforcementMode.ENFORCE);
        AgentAcl a = file.agents().get("agent.a");
        assertThat(a.agentId()).isEqualTo("agent.a");
        assertThat(a.listen()).contains("127.0.0.1:18001");
        assertThat(a.allowDomains()).containsExactly("*.slack.com", "api.example.com");
        assertThat(a.allowMethods()).containsExactly("GET", "POST");
        assertThat(a.connectPorts()).containsExactly(443);
        assertThat(a.rate()).contains(new AgentAcl.Rate(50, 100));
        assertThat(a.maxRequestBytes()).isEqualTo(1048576);
        assertThat(a.maxResponseBytes()).isEqualTo(67108864);
        assertThat(file.resolve().get("api.example.com")).containsExactly(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void omittedFieldsTakeStrictDefaults() {
        AgentAcl a = AclCodec.parseFile("{\"agents\":{\"x\":{}}}").agents().get("x");
        assertThat(a).isEqualTo(AgentAcl.strictDefaults("x"));
        assertThat(a.allowMethods()).containsExactly("GET");
        assertThat(a.connectPorts()).containsExactly(443);
        assertThat(a.dlp()).isEqualTo(DlpMode.STRICT);
        assertThat(a.allowRanges()).isEmpty();
        assertThat(a.deniesAll()).isTrue();
    }

    @Test
    void normalizesDomainsAndMethods() {
        AgentAcl a = AclCodec.parseAgent("""
                {"agent_id":"a","step":"Fetch","allow_domains":["API.Example.COM.","bücher.de","*.Slack.com","api.example.com"],
                 "allow_methods":["get","post","GET"],"connect_ports":[8443,443,443],"allow_ranges":["127.0.0.0/8","::1/128"],
                 "dlp":"lenient","rate":{"per_second":2.5}}
                """);
        assertThat(a.step()).contains("Fetch");
        assertThat(a.allowDomains()).containsExactly("*.slack.com", "api.example.com", "xn--bcher-kva.de");
        assertThat(a.allowMethods()).containsExactly("GET", "POST");
        assertThat(a.connectPorts()).containsExactly(443, 8443);
        assertThat(a.allowRanges()).containsExactly("0:0:0:0:0:0:0:1/128", "127.0.0.0/8");
        assertThat(a.rate()).contains(new AgentAcl.Rate(2.5, 3));
    }

    @Test
    void roundTripsAgentDocument() {
        AgentAcl a = AgentAcl.builder("agent.b").step("Store").listen("127.0.0.1:0").allowDomains(List.of("a.com"))
                .allowMethods(List.of("GET", "PUT")).connectPorts(List.of(443, 8443)).allowRanges(List.of("10.0.0.0/8"))
                .dlp(DlpMode.OFF).rate(new AgentAcl.Rate(1.5, 4)).maxRequestBytes(10).maxResponseBytes(20).build();
        assertThat(AclCodec.parseAgent(AclCodec.toJson(a))).isEqualTo(a);
    }

    @Test
    void roundTripsFile() {
        AclFile f = AclCodec.parseFile(DESIGN_EXAMPLE);
        assertThat(AclCodec.parseFile(AclCodec.toJson(f))).isEqualTo(f);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"agents":{"a":{"allow_domain":["x.com"]}}}                 | $.agents.a.allow_domain | unknown field
            {"agents":{"a":{}},"extra":1}                               | $.extra | unknown field
            {"agents":{"a":{"allow_domains":["ok.com","bad domain"]}}}  | $.agents.a.allow_domains[1] | forbidden character
            {"agents":{"a":{"allow_domains":["127.0.0.1"]}}}            | $.agents.a.allow_domains[0] | IP literal
            {"agents":{"a":{"allow_domains":["2130706433"]}}}           | $.agents.a.allow_domains[0] | IP literal
            {"agents":{"a":{"allow_domains":["[::1]"]}}}                | $.agents.a.allow_domains[0] | IP literal
            {"agents":{"a":{"allow_domains":["*"]}}}                    | $.agents.a.allow_domains[0] | leading
            {"agents":{"a":{"allow_domains":["*.com"]}}}                | $.agents.a.allow_domains[0] | too broad
            {"agents":{"a":{"allow_domains":["a.*.com"]}}}              | $.agents.a.allow_domains[0] | wildcard
            {"agents":{"a":{"allow_domains":"x.com"}}}                  | $.agents.a.allow_domains | must be an array
            {"agents":{"a":{"allow_methods":["GE T"]}}}                 | $.agents.a.allow_methods[0] | method token
            {"agents":{"a":{"allow_methods":["CONNECT"]}}}              | $.agents.a.allow_methods[0] | connect_ports
            {"agents":{"a":{"connect_ports":[0]}}}                      | $.agents.a.connect_ports[0] | out of range
            {"agents":{"a":{"connect_ports":["443"]}}}                  | $.agents.a.connect_ports[0] | integer
            {"agents":{"a":{"allow_ranges":["10.0.0.1/8"]}}}            | $.agents.a.allow_ranges[0] | did you mean 10.0.0.0/8
            {"agents":{"a":{"allow_ranges":["10.0.0.0/33"]}}}           | $.agents.a.allow_ranges[0] | longer than 32
            {"agents":{"a":{"dlp":"paranoid"}}}                         | $.agents.a.dlp | strict
            {"agents":{"a":{"rate":{"per_second":0}}}}                  | $.agents.a.rate.per_second | positive
            {"agents":{"a":{"rate":{"burst":3}}}}                       | $.agents.a.rate.per_second | required
            {"agents":{"a":{"rate":{"per_second":1,"x":1}}}}            | $.agents.a.rate.x | unknown field
            {"agents":{"a":{"max_request_bytes":-1}}}                   | $.agents.a.max_request_bytes | out of range
            {"agents":{"a":{"allow_domains":null}}}                     | $.agents.a.allow_domains | null
            {"agents":{"a":{"listen":"0.0.0.0:80"}}}                    | $.agents.a.listen | loopback
            {"agents":{"a":{"listen":"127.0.0.1"}}}                     | $.agents.a.listen | HOST:PORT
            {"agents":{"a":{"listen":"127.0.0.1:1"},"b":{"listen":"127.0.0.1:1"}}} | $.agents.b.listen | already
            {"agents":{"a":{"step":"s"}}}                               | $.agents.a.step | unknown field
            {"agents":{"a":{"agent_id":"b"}}}                           | $.agents.a.agent_id | does not match
            {"agents":{"bad id":{}}}                                    | $.agents["bad id"] | agent id
            {"agents":{"agent.a":{"x":1}}}                              | $.agents["agent.a"].x | unknown field
            {"mode":"audit","agents":{}}                                | $.mode | enforce
            {"resolve":{}}                                              | $.agents | required
            {"agents":{},"resolve":{"h.test":[]}}                       | $.resolve["h.test"] | at least one
            {"agents":{},"resolve":{"h.test":["127.1"]}}                | $.resolve["h.test"][0] | dotted quad
            {"agents":{},"mode":"enforce","mode":"report"}              | line 1 | Duplicate
            {"agents":{}} x                                             | line 1 | invalid JSON
            """)
    void rejectsWithPath(String json, String path, String message) {
        assertThatThrownBy(() -> AclCodec.parseFile(json))
                .isInstanceOfSatisfying(AclFormatException.class, e -> {
                    assertThat(e.path()).startsWith(path);
                    assertThat(e.getMessage()).containsIgnoringCase(message);
                });
    }

    @Test
    void anAclBuiltInCodeIsNormalizedAsItIsBuilt() {
        AgentAcl step = AgentAcl.forStep("a", "Fetch", List.of("API.Example.com."), List.of("get"));
        assertThat(step.allowDomains()).containsExactly("api.example.com");
        assertThat(step.allowMethods()).containsExactly("GET");
        assertThat(step.step()).contains("Fetch");
        assertThat(step.connectPorts()).containsExactly(443);
        assertThatThrownBy(() -> AgentAcl.forStep("a", "S", List.of("10.0.0.1"), List.of()))
                .isInstanceOfSatisfying(AclRuleException.class, e -> assertThat(e.field()).isEqualTo("allow_domains[0]"))
                .hasMessageContaining("IP literal");
        assertThat(AgentAcl.strictDefaults("a").withListen("127.0.0.1:0").withStep("X").listen()).contains("127.0.0.1:0");
    }

    @Test
    void singleAgentDocumentNeedsAnId() {
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"allow_domains\":[\"a.com\"]}"))
                .isInstanceOfSatisfying(AclFormatException.class, e -> assertThat(e.path()).isEqualTo("$.agent_id"));
        assertThat(AclCodec.parseAgent("{\"allow_domains\":[\"a.com\"]}", "a").agentId()).isEqualTo("a");
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"agent_id\":\"b\"}", "a"))
                .isInstanceOf(AclFormatException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> AclCodec.parseAgent("[]"))
                .isInstanceOf(AclFormatException.class).hasMessageContaining("must be an object");
        assertThatThrownBy(() -> AclCodec.parseAgent(""))
                .isInstanceOf(AclFormatException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0/0         | wider than /8
            10.0.0.0/7        | wider than /8
            128.0.0.0/1       | wider than /8
            ::/0              | wider than /32
            2000::/3          | wider than /32
            fc00::/7          | wider than /32
            2001:db8::/31     | wider than /32
            ::ffff:0:0/96     | IPv4-mapped
            ::ffff:0:0/103    | IPv4-mapped
            ::/96             | IPv4-compatible
            ::/64             | IPv4-
            64:ff9b::/96      | NAT64
            64:ff9b:1::/48    | NAT64 local-use
            2002::/16         | wider than /32
            2001::/32         | Teredo
            2001::/64         | Teredo
            64:ff9b:1::/52    | NAT64 local-use
            """)
    void allowRangesWiderThanASlash8OfIpv4OrASlash32OfIpv6AreRefused(String range, String why) {
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"allow_ranges\":[\"127.0.0.0/8\",\"" + range + "\"]}", "a"))
                .isInstanceOf(AclFormatException.class)
                .hasMessageContaining("$.allow_ranges[1]").hasMessageContaining(range).hasMessageContaining(why);
        assertThatThrownBy(() -> AclCodec.parseFile("{\"agents\":{\"a\":{\"allow_ranges\":[\"" + range + "\"]}}}"))
                .isInstanceOf(AclFormatException.class).hasMessageContaining("$.agents.a.allow_ranges[0]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            127.0.0.0/8
            10.0.0.0/8
            192.168.1.0/24
            203.0.113.7
            fd00::/32
            ::1/128
            ::ffff:7f00:0/104
            64:ff9b::a00:0/104
            2002:7f00::/32
            64:ff9b:1:7f00::/56
            """)
    void allowRangesUpToASlash8OrASlash32AreAccepted(String range) {
        assertThat(AclCodec.parseAgent("{\"allow_ranges\":[\"" + range + "\"]}", "a").allowRanges()).hasSize(1);
    }

    @Test
    void anAclBuiltInCodeWithAWideRangeIsRefusedLikeADocument() {
        AgentAcl.Builder b = AgentAcl.builder("a").allowDomains(List.of("a.test"));
        assertThatThrownBy(() -> b.allowRanges(List.of("127.0.0.0/8", "0.0.0.0/0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allow_ranges[1]").hasMessageContaining("wider than /8");
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"allow_ranges\":[\"127.0.0.0/8\",\"0.0.0.0/0\"]}", "a"))
                .isInstanceOf(AclFormatException.class)
                .hasMessageContaining("$.allow_ranges[1]").hasMessageContaining("wider than /8");
        assertThat(b.allowRanges(List.of("127.0.0.0/8")).build().allowRanges()).containsExactly("127.0.0.0/8");
    }

    @Test
    void maxConnectionsIsAnAgentRuleWithADefaultAndNoStepMayChangeIt() {
        assertThat(AclCodec.parseAgent("{}", "a").maxConnections()).isEqualTo(AgentAcl.DEFAULT_MAX_CONNECTIONS);
        AgentAcl a = AclCodec.parseAgent("{\"max_connections\":8}", "a");
        assertThat(a.maxConnections()).isEqualTo(8);
        assertThat(AclCodec.parseAgent(AclCodec.toJson(a))).isEqualTo(a);
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"max_connections\":0}", "a"))
                .hasMessageContaining("$.max_connections").hasMessageContaining("out of range");
        assertThatThrownBy(() -> AclCodec.parseAgent("{\"step\":\"S\",\"max_connections\":8}", "a"))
                .hasMessageContaining("$.max_connections").hasMessageContaining("per agent");
        assertThat(AclCodec.parseAgent(AclCodec.toJson(a.withStep("S"))).maxConnections())
                .isEqualTo(AgentAcl.DEFAULT_MAX_CONNECTIONS);
    }
}
