package dev.rtfs.microvm.egresspolicy.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.egresspolicy.decision.CompiledAcl;
import dev.rtfs.microvm.egresspolicy.decision.EffectiveRules;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TLS fields of an agent ACL: tls, tls_passthrough, tls_pins, upstream_ca, client_cert. */
class TlsRulesTest {

    static final String PIN = "sha256/" + Base64.getEncoder().encodeToString(new byte[32]);

    static final String FULL = "{\"agent_id\":\"a\",\"allow_domains\":[\"api.test\"],\"tls\":\"intercept\","
            + "\"tls_passthrough\":[\"Pinned.Test.\"],\"tls_pins\":{\"API.test\":[\"" + PIN + "\"]},"
            + "\"upstream_ca\":\"/etc/rtfs/ca.pem\",\"client_cert\":{\"*.mtls.test\":{\"cert\":\"/run/c.pem\","
            + "\"key\":\"/run/k.pem\"}}}";

    @Test
    void tlsFieldsAreReadNormalizedAndWrittenBackUnchanged() {
        AgentAcl acl = AclCodec.parseAgent(FULL);
        TlsRules tls = acl.tls();
        assertThat(tls.mode()).isEqualTo(TlsMode.INTERCEPT);
        assertThat(tls.passthrough()).containsExactly("pinned.test");
        assertThat(tls.pins()).containsExactly(Map.entry("api.test", List.of(PIN)));
        assertThat(tls.upstreamCa()).contains("/etc/rtfs/ca.pem");
        assertThat(tls.clientCerts()).containsExactly(Map.entry("*.mtls.test", new ClientCert("/run/c.pem", "/run/k.pem")));
        assertThat(AclCodec.parseAgent(AclCodec.toJson(acl))).isEqualTo(acl);
    }

    @Test
    void withoutTlsFieldsAnAclTunnelsAndItsDocumentHasNoTlsFields() {
        AgentAcl acl = AclCodec.parseAgent("{\"agent_id\":\"a\",\"allow_domains\":[\"api.test\"]}");
        assertThat(acl.tls()).isEqualTo(TlsRules.TUNNEL);
        assertThat(AclCodec.toJson(acl)).doesNotContain("tls");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "tls":"mitm"                                           | $.tls | must be "tunnel" or "intercept"
            "tls_passthrough":["*"]                                | $.tls_passthrough[0] | wildcard
            "tls_passthrough":["10.0.0.1"]                         | $.tls_passthrough[0] | IP literal
            "tls_pins":{"a.test":["md5/AAAA"]}                     | $.tls_pins["a.test"][0] | sha256/BASE64
            "tls_pins":{"a.test":["sha256/AAAA"]}                  | $.tls_pins["a.test"][0] | 3 bytes
            "tls_pins":{"a.test":["sha256/!!"]}                    | $.tls_pins["a.test"][0] | not base64
            "tls_pins":{"a.test":[]}                               | $.tls_pins["a.test"] | 1..16
            "tls_pins":{"a.test":"sha256/x"}                       | $.tls_pins["a.test"] | array
            "upstream_ca":"ca.pem"                                 | $.upstream_ca | absolute
            "client_cert":{"a.test":{"cert":"/c.pem"}}             | $.client_cert["a.test"].key | required
            "client_cert":{"a.test":{"cert":"/c","key":"k"}}       | $.client_cert["a.test"].key | absolute
            "client_cert":{"a.test":{"cert":"/c","key":"/k","x":1}} | $.client_cert["a.test"].x | unknown field
            """)
    void aBrokenTlsFieldIsRefusedWithItsPath(String field, String path, String message) {
        String json = "{\"agent_id\":\"a\",\"allow_domains\":[\"a.test\"]," + field + "}";
        assertThatThrownBy(() -> AclCodec.parseAgent(json))
                .isInstanceOfSatisfying(AclFormatException.class, e -> {
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.getMessage()).containsIgnoringCase(message);
                });
    }

    @Test
    void tlsRulesBuiltInCodeAreCheckedLikeADocument() {
        assertThatThrownBy(() -> new TlsRules(TlsMode.INTERCEPT, List.of(), Map.of("a.test", List.of("sha256/xx")),
                Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tls_pins[\"a.test\"][0]");
        assertThatThrownBy(() -> new ClientCert("relative.pem", "/k.pem"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cert");
    }

    @Test
    void aStepCanTurnInterceptionOnButTheAgentsMaterialGoverns() {
        AgentAcl agent = AclCodec.parseAgent(FULL.replace("\"tls\":\"intercept\"", "\"tls\":\"tunnel\""));
        AgentAcl step = AgentAcl.builder("a").step("S").allowDomains(List.of("api.test"))
                .tls(TlsRules.TUNNEL.withMode(TlsMode.INTERCEPT)).build();
        EffectiveRules rules = new EffectiveRules("a", CompiledAcl.compile(agent, System::nanoTime),
                Optional.of(CompiledAcl.compile(step, System::nanoTime)), false);
        assertThat(rules.tls().mode()).isEqualTo(TlsMode.INTERCEPT);
        assertThat(rules.tls().pins()).containsKey("api.test");
        assertThat(EffectiveRules.agentOnly(CompiledAcl.compile(agent, System::nanoTime)).tls().mode())
                .isEqualTo(TlsMode.TUNNEL);
    }
}
