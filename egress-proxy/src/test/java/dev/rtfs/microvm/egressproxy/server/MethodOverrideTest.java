package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.decision.MethodOverride;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Method-override headers ask the origin to act as another method (POST + {@code X-HTTP-Method-Override: DELETE}).
 * Each value is decided like the request line's method: one outside allow_methods refuses the request with
 * {@code 403 method-override}; one inside passes unchanged.
 */
class MethodOverrideTest {

    @TempDir
    Path tmp;

    @Test
    void anOverrideToAMethodOutsideAllowMethodsIsRefusedForEveryHeaderName() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"],\"dlp\":\"off\"}");
            String url = "http://origin.test:" + origin.port() + "/items/1";
            for (String header : MethodOverride.HEADERS) {
                for (String value : new String[] {"DELETE", "delete", "GET, DELETE"}) {
                    Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(port), "-X", "POST", "--data-binary", "x",
                            "-H", header + ": " + value, url);
                    assertThat(r.status()).as(header + ": " + value).isEqualTo(403);
                    assertThat(r.header("X-Egress-Denied")).isEqualTo("method-override");
                }
            }
            assertThat(origin.hits()).isZero();
            DecisionRecord d = fx.awaitRecord(x -> x.reason().equals("method-override"));
            assertThat(d.outcome()).isEqualTo("DENY");
            assertThat(d.detail()).contains("DELETE");
        }
    }

    @Test
    void aRepeatedOverrideHeaderIsDecidedValueByValue() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"],\"dlp\":\"off\"}");
            RawClient.Answer a = RawClient.exchange(port, "GET http://origin.test:" + origin.port() + "/ HTTP/1.1\r\n"
                    + "Host: origin.test\r\nX-HTTP-Method-Override: GET\r\nx-http-method-override: PUT\r\n\r\n");
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.text()).contains("X-Egress-Denied: method-override");
            RawClient.Answer empty = RawClient.exchange(port, "GET http://origin.test:" + origin.port()
                    + "/ HTTP/1.1\r\nHost: origin.test\r\nX-HTTP-Method:\r\n\r\n");
            assertThat(empty.text()).as("an empty override is refused, not ignored")
                    .contains("X-Egress-Denied: method-override");
            assertThat(origin.hits()).isZero();
        }
    }

    @Test
    void anOverrideToAnAllowedMethodPassesUnchanged() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"],\"dlp\":\"off\"}");
            Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(port), "-X", "POST", "--data-binary", "q=long",
                    "-H", "X-HTTP-Method-Override: GET", "http://origin.test:" + origin.port() + "/search");
            assertThat(r.status()).isEqualTo(200);
            assertThat(origin.hits()).isEqualTo(1);
        }
    }

    @Test
    void aStepThatAllowsFewerMethodsRefusesAnOverrideTheAgentWouldAllow() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\",\"DELETE\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"],\"dlp\":\"off\"}");
            fx.proxy.setStep("a", dev.rtfs.microvm.egresspolicy.acl.AclCodec.parseAgent("{\"agent_id\":\"a\",\"step\":\"Read\","
                    + "\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\"],\"dlp\":\"off\"}"));
            Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(port), "-X", "POST", "--data-binary", "x",
                    "-H", "X-Method-Override: DELETE", "http://origin.test:" + origin.port() + "/items/1");
            assertThat(r.header("X-Egress-Denied")).isEqualTo("method-override");
            assertThat(origin.hits()).isZero();
        }
    }
}
