package dev.rtfs.microvm.egressproxy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.observe.MetricsServer;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOnlyConnector;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.TestResolver;
import dev.rtfs.microvm.egressproxy.server.NettyConnector;
import dev.rtfs.microvm.egressproxy.server.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API over its real Unix socket, driven by curl --unix-socket; metrics scraped over HTTP. */
class ControlApiServerTest {

    @TempDir
    Path tmp;

    @Test
    void programsTheProxyLive() throws Exception {
        TestResolver resolver = new TestResolver().map("origin.test", "127.0.0.1");
        try (LoopbackOrigin origin = LoopbackOrigin.http();
                EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withResolver(resolver).withIoThreads(1)
                        .withConnector(new LoopbackOnlyConnector(new NettyConnector(Transports.detect(), Duration.ofSeconds(2)))))) {
            proxy.start();
            Path sock = tmp.resolve("ctl.sock");
            try (ControlApiServer ctl = ControlApiServer.start(proxy, sock);
                    MetricsServer metrics = MetricsServer.start(proxy.meterRegistry(), 0)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-------");
                try (var entries = Files.list(tmp)) {
                    assertThat(entries.map(p -> p.getFileName().toString())).as("no staging directory left")
                            .containsExactly("ctl.sock");
                }
                Curl.Result health = Curl.run(tmp, "--unix-socket", sock.toString(), "http://ctl/health");
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"mode\":\"enforce\"");

                Curl.Result bad = Curl.run(tmp, "--unix-socket", sock.toString(), "-X", "PUT", "--data-binary",
                        "{\"allow_domains\":[\"bad domain\"]}", "http://ctl/agents/a");
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.body()).contains("$.allow_domains[0]");

                Curl.Result put = Curl.run(tmp, "--unix-socket", sock.toString(), "-X", "PUT", "--data-binary",
                        "{\"allow_domains\":[\"origin.test\"],\"allow_ranges\":[\"127.0.0.0/8\"]}", "http://ctl/agents/a");
                assertThat(put.status()).as(put.body()).isEqualTo(200);
                int port = proxy.listenAddress("a").orElseThrow().getPort();
                assertThat(put.body()).contains("\"listen\":\"127.0.0.1:" + port + "\"");

                String target = "http://origin.test:" + origin.port() + "/c";
                assertThat(Curl.run(tmp, "-x", "http://127.0.0.1:" + port, target).status()).isEqualTo(200);

                Curl.Result step = Curl.run(tmp, "--unix-socket", sock.toString(), "-X", "PUT", "--data-binary",
                        "{\"step\":\"Other\",\"allow_domains\":[\"other.test\"]}", "http://ctl/agents/a/step");
                assertThat(step.status()).isEqualTo(200);
                Curl.Result denied = Curl.run(tmp, "-x", "http://127.0.0.1:" + port, target);
                assertThat(denied.header("X-Egress-Denied")).isEqualTo("domain-not-allowed");

                assertThat(Curl.run(tmp, "--unix-socket", sock.toString(), "-X", "DELETE", "http://ctl/agents/a/step")
                        .status()).isEqualTo(200);
                assertThat(Curl.run(tmp, "-x", "http://127.0.0.1:" + port, target).header("X-Egress-Denied"))
                        .isEqualTo("between-steps");
                assertThat(Curl.run(tmp, "--unix-socket", sock.toString(), "-X", "DELETE", "http://ctl/agents/a/plan")
                        .status()).isEqualTo(200);
                assertThat(Curl.run(tmp, "-x", "http://127.0.0.1:" + port, target).status()).isEqualTo(200);

                Curl.Result agent = Curl.run(tmp, "--unix-socket", sock.toString(), "http://ctl/agents/a");
                assertThat(agent.body()).contains("\"phase\":\"no_plan\"").contains("origin.test");

                Curl.Result decisions = Curl.run(tmp, "--unix-socket", sock.toString(), "http://ctl/decisions?limit=3");
                assertThat(decisions.body()).contains("\"decision\":\"ALLOW\"").contains("\"reason\":\"between-steps\"");

                assertThat(Curl.run(tmp, "--unix-socket", sock.toString(), "http://ctl/agents/nobody").status()).isEqualTo(404);
                assertThat(Curl.run(tmp, "--unix-socket", sock.toString(), "http://ctl/nothing").status()).isEqualTo(404);

                Curl.Result scrape = Curl.run(tmp, "http://127.0.0.1:" + metrics.port() + "/metrics");
                assertThat(scrape.body()).contains("egress_requests_total{decision=\"ALLOW\",reason=\"allowed\"}")
                        .contains("egress_active_tunnels").contains("egress_request_duration_seconds_bucket");

                assertThat(Curl.run(tmp, "--unix-socket", sock.toString(), "-X", "DELETE", "http://ctl/agents/a")
                        .status()).isEqualTo(200);
                assertThat(Curl.run(tmp, "-x", "http://127.0.0.1:" + port, target).exit()).isNotZero();
            }
            assertThat(sock).doesNotExist();
        }
    }

    @Test
    void badModeDocumentsAre400NotAHang() {
        try (var proxy = new dev.rtfs.microvm.egressproxy.EgressProxy(dev.rtfs.microvm.egressproxy.server.ProxyConfig.defaults())) {
            ControlApi api = new ControlApi(proxy);
            assertThat(api.handle("PUT", "/mode", "not json").status()).isEqualTo(400);
            assertThat(api.handle("PUT", "/mode", "").status()).isEqualTo(400);
            assertThat(api.handle("PUT", "/mode", "{\"mode\":\"audit\"}").status()).isEqualTo(400);
            assertThat(api.handle("PUT", "/mode", "{\"mode\":\"report\"}").status()).isEqualTo(200);
            assertThat(proxy.mode()).isEqualTo(dev.rtfs.microvm.egresspolicy.acl.EnforcementMode.REPORT);
        }
    }

    @Test
    void pipelinedRequestsTakeEffectAndAreAnsweredInTheOrderSent() throws Exception {
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            proxy.start();
            Path sock = tmp.resolve("ctl.sock");
            try (ControlApiServer ctl = ControlApiServer.start(proxy, sock);
                    java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(
                            java.net.UnixDomainSocketAddress.of(sock))) {
                StringBuilder out = new StringBuilder();
                int rounds = 30;
                for (int i = 0; i < rounds; i++) {
                    String body = "{\"allow_domains\":[\"d" + i + ".test\"]}";
                    out.append("PUT /agents/a HTTP/1.1\r\nHost: x\r\nContent-Length: ").append(body.length())
                            .append("\r\n\r\n").append(body);
                    out.append("GET /agents/a HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                out.append("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                ch.write(java.nio.ByteBuffer.wrap(out.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(64 * 1024);
                while (ch.read(buf) >= 0) {
                    all.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                String text = all.toString(java.nio.charset.StandardCharsets.UTF_8);
                // Every GET sees exactly the PUT sent just before it, and the answers come back in order.
                int from = 0;
                for (int i = 0; i < rounds; i++) {
                    int put = text.indexOf("HTTP/1.1 200", from);
                    int get = text.indexOf("HTTP/1.1 200", put + 1);
                    int next = text.indexOf("HTTP/1.1 ", get + 1);
                    assertThat(put).as("answer to PUT " + i).isGreaterThanOrEqualTo(0);
                    assertThat(get).as("answer to GET " + i).isGreaterThan(put);
                    assertThat(text.substring(get, next < 0 ? text.length() : next)).as("GET " + i)
                            .contains("\"d" + i + ".test\"").doesNotContain("\"d" + (i + 1) + ".test\"");
                    from = get + 1;
                }
                assertThat(text.substring(text.lastIndexOf("HTTP/1.1 "))).contains("\"status\":\"ok\"");
            }
        }
    }
}
