package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One agent cannot take every file descriptor of the proxy: past its {@code max_connections} a connection gets
 * {@code 503 too-many-connections} (a CONNECT too, and no tunnel) and a DENY record, the agent's other connections
 * and the other agents are served as before, and a slot frees when a connection closes. Real sockets on loopback.
 */
class ConnectionCapTest {

    private static String get(int originPort) {
        return "GET http://origin.test:" + originPort + "/ HTTP/1.1\r\nHost: origin.test\r\n\r\n";
    }

    private static String getAndClose(int originPort) {
        return "GET http://origin.test:" + originPort + "/ HTTP/1.1\r\nHost: origin.test\r\nConnection: close\r\n\r\n";
    }

    /** A keep-alive connection that has been served once, so the proxy has certainly counted it. */
    private static Socket servedConnection(int port, int originPort) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        s.getOutputStream().write(get(originPort).getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        String head = RawClient.readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200");
        int len = Integer.parseInt(head.replaceAll("(?s).*[Cc]ontent-[Ll]ength: *(\\d+).*", "$1"));
        in.readNBytes(len);
        return s;
    }

    @Test
    void connectionsPastTheAgentsCapAre503AndRecordedWhileOtherAgentsAreServed() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(10));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            String rules = "\"allow_domains\":[\"origin.test\"],\"allow_ranges\":[\"127.0.0.0/8\"],"
                    + "\"connect_ports\":[" + origin.port() + "]";
            int a = fx.agent("a", "{" + rules + ",\"max_connections\":4}");
            int b = fx.agent("b", "{" + rules + "}");
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(servedConnection(a, origin.port()));
                }
                int hitsBefore = origin.hits();
                RawClient.Answer over = RawClient.exchange(a, get(origin.port()));
                assertThat(over.status()).isEqualTo(503);
                assertThat(over.text()).contains("X-Egress-Denied: too-many-connections");
                assertThat(over.closed()).isTrue();
                RawClient.Answer tunnel = RawClient.exchange(a, "CONNECT origin.test:" + origin.port()
                        + " HTTP/1.1\r\nHost: origin.test\r\n\r\n");
                assertThat(tunnel.status()).isEqualTo(503);
                assertThat(tunnel.closed()).isTrue();
                assertThat(origin.hits()).isEqualTo(hitsBefore);
                DecisionRecord d = fx.awaitRecord(r -> r.method().equals("CONNECT"));
                assertThat(d.outcome()).isEqualTo("DENY");
                assertThat(d.reason()).isEqualTo("too-many-connections");
                assertThat(d.status()).isEqualTo(503);
                assertThat(d.host()).isEqualTo("origin.test");
                assertThat(d.agentId()).isEqualTo("a");

                // Another agent is not affected, and a held connection of the capped agent still works.
                assertThat(RawClient.exchange(b, getAndClose(origin.port())).status()).isEqualTo(200);
                held.get(0).getOutputStream().write(get(origin.port()).getBytes(StandardCharsets.US_ASCII));
                assertThat(RawClient.readHead(held.get(0).getInputStream())).startsWith("HTTP/1.1 200");

                // Closing one frees its slot.
                held.remove(held.size() - 1).close();
                long deadline = System.nanoTime() + 3_000_000_000L;
                int status = 0;
                while (status != 200 && System.nanoTime() < deadline) {
                    status = RawClient.exchange(a, getAndClose(origin.port())).status();
                    Thread.sleep(20);
                }
                assertThat(status).isEqualTo(200);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aFloodOfSilentConnectionsIsShedAtAcceptAndTheListenerStaysResponsive() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(10));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            String rules = "\"allow_domains\":[\"origin.test\"],\"allow_ranges\":[\"127.0.0.0/8\"]";
            int a = fx.agent("a", "{" + rules + ",\"max_connections\":2}");
            int b = fx.agent("b", "{" + rules + "}");
            List<Socket> flood = new ArrayList<>();
            try {
                flood.add(servedConnection(a, origin.port()));
                flood.add(servedConnection(a, origin.port()));
                int n = AgentConnections.MAX_REFUSING + 200;
                for (int i = 0; i < n; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), a);
                    s.setSoTimeout(3000);
                    flood.add(s);
                }
                // Past the refusal bound the proxy closes on accept: the flood cannot pin descriptors.
                int closedAtOnce = 0;
                for (Socket s : flood.subList(flood.size() - 100, flood.size())) {
                    s.setSoTimeout(1500);
                    if (RawClient.readAll(s.getInputStream()).closed()) {
                        closedAtOnce++;
                    }
                }
                assertThat(closedAtOnce).isEqualTo(100);
                long t0 = System.nanoTime();
                assertThat(RawClient.exchange(b, getAndClose(origin.port())).status()).isEqualTo(200);
                assertThat((System.nanoTime() - t0) / 1_000_000).as("another agent's request, ms").isLessThan(2000);
                DecisionRecord shed = fx.awaitRecord(r -> r.detail().contains("closed on accept"));
                assertThat(shed.reason()).isEqualTo("too-many-connections");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
        }
    }
}
