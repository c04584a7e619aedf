package dev.rtfs.microvm.egressproxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /agents/{id}} counts the agent's open client connections: what a blue/green switch drains on. */
class ControlApiActiveConnectionsTest {

    private static int activeConnections(ControlApi api, String id) {
        ControlApi.Response r = api.handle("GET", "/agents/" + id, "");
        assertThat(r.status()).as(r.json()).isEqualTo(200);
        JsonNode body = JsonMapper.shared().readTree(r.json());
        assertThat(body.has("active_connections")).as(r.json()).isTrue();
        return body.get("active_connections").asInt();
    }

    private static void awaitCount(ControlApi api, String id, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (activeConnections(api, id) != expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(activeConnections(api, id)).isEqualTo(expected);
    }

    @Test
    void anAgentsOpenClientConnectionsAreCountedUntilTheyClose() throws Exception {
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            proxy.start();
            ControlApi api = new ControlApi(proxy);
            assertThat(api.handle("PUT", "/agents/old", "{\"allow_domains\":[\"origin.test\"]}").status()).isEqualTo(200);
            assertThat(api.handle("PUT", "/agents/other", "{\"allow_domains\":[\"origin.test\"]}").status()).isEqualTo(200);
            int port = proxy.listenAddress("old").orElseThrow().getPort();
            assertThat(activeConnections(api, "old")).isZero();
            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), port);
                    Socket second = new Socket(InetAddress.getLoopbackAddress(), port)) {
                awaitCount(api, "old", 2);
                assertThat(activeConnections(api, "other")).as("counted per agent").isZero();
                first.close();
                awaitCount(api, "old", 1);
            }
            awaitCount(api, "old", 0);
        }
    }
}
