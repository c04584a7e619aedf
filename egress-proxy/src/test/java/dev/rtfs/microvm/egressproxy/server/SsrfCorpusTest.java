package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SSRF corpus of issue 6, every case denied. Loopback targets go through real curl against a loopback
 * origin that counts hits (which must stay 0). Every other target goes through the resolver seam and the
 * {@link dev.rtfs.microvm.egressproxy.testing.LoopbackOnlyConnector}, which records any non-loopback address it is
 * asked to dial and refuses instead of dialing — so no case can send a packet off this machine.
 */
class SsrfCorpusTest {

    static ProxyFixture fx;
    static LoopbackOrigin origin;
    static int ranged;   // allow_ranges 127.0.0.0/8: the strongest setup for a loopback bypass
    static int plain;    // no ranges
    static int tlsPort = 8443;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        origin = LoopbackOrigin.http();
        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(10));
        fx.resolver.map("origin.test", "127.0.0.1")
                .map("allowed.test", "93.184.216.34")
                .map("metadata.test", "169.254.169.254")
                .map("private10.test", "10.1.2.3")
                .map("private172.test", "172.20.0.1")
                .map("private192.test", "192.168.1.10")
                .map("cgnat.test", "100.100.0.1")
                .map("zero.test", "0.0.0.0")
                .map("multicast.test", "224.0.0.1")
                .map("ula.test", "fd00::1")
                .map("linklocal6.test", "fe80::1")
                .map("nat64.test", "64:ff9b::a00:1")
                .map("sixtofour.test", "2002:a00:1::")
                .map("teredo.test", "2001:0:4136:e378:8000:63bf:3fff:fdd2")
                .map("mapped.test", "::ffff:10.0.0.1")
                .map("loop6.test", "::1")
                .map("mixed.test", "93.184.216.34", "10.0.0.1")
                .map("localhost", "127.0.0.1");
        String names = "\"origin.test\",\"allowed.test\",\"metadata.test\",\"private10.test\",\"private172.test\","
                + "\"private192.test\",\"cgnat.test\",\"zero.test\",\"multicast.test\",\"ula.test\",\"linklocal6.test\","
                + "\"nat64.test\",\"sixtofour.test\",\"teredo.test\",\"mapped.test\",\"loop6.test\",\"mixed.test\","
                + "\"rebind.test\"";
        ranged = fx.agent("ranged", "{\"allow_domains\":[\"origin.test\"],\"allow_ranges\":[\"127.0.0.0/8\"],"
                + "\"connect_ports\":[443," + tlsPort + "]}");
        plain = fx.agent("plain", "{\"allow_domains\":[" + names + "],\"connect_ports\":[443," + tlsPort + "]}");
    }

    @AfterAll
    static void stop() {
        fx.close();
        origin.close();
    }

    @AfterEach
    void nothingLeftTheMachine() {
        assertThat(origin.hits()).as("loopback origin hits").isZero();
        assertThat(fx.connector.refused()).as("non-loopback addresses the proxy tried to dial").isEmpty();
        assertThat(fx.connector.dialed()).as("loopback dials").isEmpty();
    }

    /** agent, how (http = curl GET, connect = curl -p, raw = raw request line), target, expected reason. */
    static Stream<Arguments> corpus() {
        int p = origin.port();
        List<Arguments> c = new ArrayList<>();
        // Loopback in every notation, real curl, agent whose allow_ranges cover loopback.
        for (String host : List.of("127.0.0.1", "2130706433", "0x7f.1", "0x7f000001", "017700000001", "0177.0.0.1",
                "127.1", "127.0.1", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "0", "127.0.0.1.")) {
            c.add(Arguments.of("ranged", "http", "http://" + host + ":" + p + "/", "ip-literal"));
        }
        c.add(Arguments.of("ranged", "http", "http://localhost:" + p + "/", "domain-not-allowed"));
        c.add(Arguments.of("plain", "http", "http://origin.test:" + p + "/", "address-denied"));
        c.add(Arguments.of("ranged", "connect", "http://127.0.0.1:" + p + "/", "ip-literal"));
        c.add(Arguments.of("ranged", "connect", "http://localhost:" + p + "/", "domain-not-allowed"));
        c.add(Arguments.of("ranged", "connect", "http://origin.test:22/", "port-not-allowed"));
        c.add(Arguments.of("ranged", "raw", "GET http://origin.test@127.0.0.1:" + p + "/ HTTP/1.1", "userinfo-in-target"));
        c.add(Arguments.of("ranged", "raw", "GET http://allowed.com@evil.com/ HTTP/1.1", "userinfo-in-target"));
        c.add(Arguments.of("ranged", "raw", "GET http://127.0.0.1:" + p + "#@origin.test/ HTTP/1.1", "bad-request"));
        c.add(Arguments.of("ranged", "raw", "GET http://evil.com#@allowed.com/ HTTP/1.1", "bad-request"));
        // Everything else only through the seams.
        for (String host : List.of("169.254.169.254", "10.0.0.1", "172.16.0.1", "192.168.0.1", "100.64.0.1",
                "[fc00::1]", "[fe80::1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",
                "93.184.216.34")) {
            c.add(Arguments.of("plain", "http", "http://" + host + "/", "ip-literal"));
        }
        for (String name : List.of("metadata.test", "private10.test", "private172.test", "private192.test",
                "cgnat.test", "zero.test", "multicast.test", "ula.test", "linklocal6.test", "nat64.test", "sixtofour.test",
                "teredo.test", "mapped.test", "loop6.test", "mixed.test")) {
            c.add(Arguments.of("plain", "http", "http://" + name + "/", "address-denied"));
        }
        c.add(Arguments.of("plain", "http", "http://evil.test/", "domain-not-allowed"));
        c.add(Arguments.of("plain", "http", "http://allowed.test.evil.test/", "domain-not-allowed"));
        c.add(Arguments.of("plain", "connect", "https://169.254.169.254/", "ip-literal"));
        c.add(Arguments.of("plain", "connect", "https://metadata.test/", "address-denied"));
        c.add(Arguments.of("plain", "connect", "https://allowed.test:22/", "port-not-allowed"));
        return c.stream();
    }

    @ParameterizedTest(name = "[{0}] {1} {2} -> {3}")
    @MethodSource("corpus")
    void denied(String agent, String how, String target, String reason) throws Exception {
        int port = agent.equals("ranged") ? ranged : plain;
        switch (how) {
            case "http" -> {
                Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(port), target);
                assertThat(r.status()).as(target).isIn(400, 403);
                assertThat(r.header("X-Egress-Denied")).as(target).isEqualTo(reason);
            }
            case "connect" -> {
                Curl.Result r = Curl.run(tmp, "-p", "-x", fx.proxyUrl(port), target);
                assertThat(r.connectStatus()).as(target).isEqualTo(403);
                assertThat(r.header("X-Egress-Denied")).as(target).isEqualTo(reason);
            }
            case "raw" -> {
                RawClient.Answer r = RawClient.exchange(port, target + "\r\nHost: x\r\n\r\n");
                assertThat(r.status()).as(target).isIn(400, 403);
                assertThat(r.text()).contains("X-Egress-Denied: " + reason);
            }
            default -> throw new IllegalArgumentException(how);
        }
    }

    @Test
    void corpusIsBigEnough() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void connectWithWrongOrMissingSniNeverDials() throws Exception {
        for (String sni : new String[] {"evil.test", null, "127.0.0.1.nip.test"}) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), plain)) {
                s.setSoTimeout(15000); // past the fixture's 10 s header timeout: the answer, not our wait, decides
                s.getOutputStream().write("CONNECT allowed.test:443 HTTP/1.1\r\nHost: allowed.test\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(TlsHello.clientHello(sni));
                RawClient.Answer a = RawClient.readAll(s.getInputStream());
                assertThat(a.closed()).isTrue();
            }
            DecisionRecord last = fx.proxy.decisions(1).get(0);
            assertThat(last.reason()).isEqualTo(sni == null ? "sni-missing" : "sni-mismatch");
        }
    }

    @Test
    void pinningUsesTheFirstAnswerOfASingleLookup() throws Exception {
        fx.resolver.sequence("rebind.test", "93.184.216.34", "127.0.0.1");
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(plain), "http://rebind.test:" + origin.port() + "/");
        // The connector refused to dial the public address, so the client sees 502; what matters is what was asked.
        assertThat(r.status()).isEqualTo(502);
        assertThat(fx.resolver.lookups().stream().filter("rebind.test"::equals).count()).isEqualTo(1);
        assertThat(fx.connector.refused()).containsExactly(
                new InetSocketAddress(InetAddress.getByAddress("rebind.test", new byte[] {93, (byte) 184, (byte) 216, 34}),
                        origin.port()));
        fx.connector.refused().clear();
    }
}
