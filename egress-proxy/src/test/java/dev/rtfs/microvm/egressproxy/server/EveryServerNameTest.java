package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A ClientHello may list several server names (RFC 6066 allows one; servers differ on which they use). Every listed
 * name must be the CONNECT host, and a second server_name extension is refused as malformed TLS. Decided through the
 * real proxy; the tunnel's upstream goes through the recording seam, so nothing is dialed off the machine
 * (203.0.113.0/24 is a reserved range the agent allows, so a decision gets as far as that seam).
 */
class EveryServerNameTest {

    private static DecisionRecord tunnel(ProxyFixture fx, int port, byte[] hello) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("CONNECT allowed.test:443 HTTP/1.1\r\nHost: allowed.test:443\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
            s.getOutputStream().write(hello);
            RawClient.readAll(s.getInputStream());
        }
        return fx.awaitRecord(r -> r.method().equals("CONNECT"));
    }

    @Test
    void aSecondServerNameAfterTheAllowedOneIsRefusedAsAMismatch() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5))) {
            fx.resolver.map("allowed.test", "203.0.113.10");
            int port = fx.agent("a", "{\"allow_domains\":[\"allowed.test\"],\"allow_ranges\":[\"203.0.113.0/24\"]}");
            DecisionRecord d = tunnel(fx, port, TlsHello.withServerNames(false, "allowed.test", "evil.test"));
            assertThat(d.outcome()).isEqualTo("DENY");
            assertThat(d.reason()).isEqualTo("sni-mismatch");
            assertThat(d.detail()).contains("evil.test").contains("one of 2 server names");
            assertThat(fx.connector.refused()).as("nothing dialed").isEmpty();
            assertThat(fx.connector.dialed()).isEmpty();
        }
    }

    @Test
    void anAllowedNameSecondInTheListDoesNotExcuseTheFirst() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5))) {
            fx.resolver.map("allowed.test", "203.0.113.10");
            int port = fx.agent("a", "{\"allow_domains\":[\"allowed.test\"],\"allow_ranges\":[\"203.0.113.0/24\"]}");
            DecisionRecord d = tunnel(fx, port, TlsHello.withServerNames(false, "evil.test", "allowed.test"));
            assertThat(d.reason()).isEqualTo("sni-mismatch");
            assertThat(fx.connector.refused()).isEmpty();
        }
    }

    @Test
    void twoServerNameExtensionsAreRefusedAsNotTls() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5))) {
            fx.resolver.map("allowed.test", "203.0.113.10");
            int port = fx.agent("a", "{\"allow_domains\":[\"allowed.test\"],\"allow_ranges\":[\"203.0.113.0/24\"]}");
            DecisionRecord d = tunnel(fx, port, TlsHello.withServerNames(true, "allowed.test", "evil.test"));
            assertThat(d.outcome()).isEqualTo("DENY");
            assertThat(d.reason()).isEqualTo("not-tls");
            assertThat(fx.connector.refused()).isEmpty();
        }
    }

    @Test
    void theSameNameListedTwiceAndASingleMatchingNameStillOpenTheTunnel() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5))) {
            fx.resolver.map("allowed.test", "203.0.113.10");
            int port = fx.agent("a", "{\"allow_domains\":[\"allowed.test\"],\"allow_ranges\":[\"203.0.113.0/24\"]}");
            for (byte[] hello : new byte[][] {TlsHello.withServerNames(false, "allowed.test", "ALLOWED.test."),
                TlsHello.withServerNames(false, "allowed.test")}) {
                DecisionRecord d = tunnel(fx, port, hello);
                assertThat(d.reason()).as("SNI accepted; the dial itself is refused by the test seam")
                        .isEqualTo("connect-failed");
            }
            assertThat(fx.connector.refused()).hasSize(2).allMatch(a -> a.getPort() == 443);
        }
    }
}
