package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egressproxy.testing.RawClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live reprogramming keeps open tunnels and takes effect for the next request at once. */
class HotSwapTest {

    @TempDir
    Path tmp;

    @Test
    void swappingBsAclAndAsStepKeepsAsTunnel() throws Exception {
        TestCa ca = new TestCa();
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http();
                SSLServerSocket echo = (SSLServerSocket) ca.serverContext("echo.test").getServerSocketFactory()
                        .createServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> serveEcho(echo));
            fx.resolver.map("echo.test", "127.0.0.1").map("origin.test", "127.0.0.1");
            String rulesA = "{\"allow_domains\":[\"echo.test\",\"origin.test\"],\"connect_ports\":[" + echo.getLocalPort()
                    + "],\"allow_ranges\":[\"127.0.0.0/8\"]}";
            int a = fx.agent("a", rulesA);
            int b = fx.agent("b", "{\"allow_domains\":[\"origin.test\"],\"allow_ranges\":[\"127.0.0.0/8\"]}");
            fx.proxy.setStep("a", AclCodec.parseAgent("{\"agent_id\":\"a\",\"step\":\"Stream\",\"allow_domains\":"
                    + "[\"echo.test\"],\"connect_ports\":[" + echo.getLocalPort() + "]}"));

            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("CONNECT echo.test:" + echo.getLocalPort() + " HTTP/1.1\r\nHost: echo.test\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
                try (SSLSocket tls = (SSLSocket) ca.clientContext().getSocketFactory()
                        .createSocket(s, "echo.test", echo.getLocalPort(), true)) {
                    PrintWriter out = new PrintWriter(tls.getOutputStream(), true, StandardCharsets.UTF_8);
                    BufferedReader in = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
                    out.println("one");
                    assertThat(in.readLine()).isEqualTo("one");
                    assertThat(fx.proxy.activeTunnels()).isEqualTo(1);

                    // Reprogram while the tunnel is open: B's ACL replaced, A's step ACL replaced.
                    fx.proxy.putAgent(AclCodec.parseAgent("{\"allow_domains\":[\"other.test\"]}", "b"));
                    fx.proxy.setStep("a", AclCodec.parseAgent("{\"agent_id\":\"a\",\"step\":\"Fetch\","
                            + "\"allow_domains\":[\"origin.test\"]}"));

                    out.println("two");
                    assertThat(in.readLine()).as("A's tunnel survives the swaps").isEqualTo("two");

                    // New requests see the new rules immediately.
                    Curl.Result newTunnel = Curl.run(tmp, "-p", "-x", fx.proxyUrl(a), "http://echo.test:" + echo.getLocalPort() + "/");
                    assertThat(newTunnel.connectStatus()).isEqualTo(403);
                    assertThat(newTunnel.header("X-Egress-Denied")).isEqualTo("domain-not-allowed");
                    Curl.Result fetch = Curl.run(tmp, "-x", fx.proxyUrl(a), "http://origin.test:" + origin.port() + "/f");
                    assertThat(fetch.status()).isEqualTo(200);
                    Curl.Result bOld = Curl.run(tmp, "-x", fx.proxyUrl(b), "http://origin.test:" + origin.port() + "/b");
                    assertThat(bOld.status()).isEqualTo(403);

                    fx.proxy.clearStep("a");
                    Curl.Result between = Curl.run(tmp, "-x", fx.proxyUrl(a), "http://origin.test:" + origin.port() + "/x");
                    assertThat(between.header("X-Egress-Denied")).isEqualTo("between-steps");

                    out.println("three");
                    assertThat(in.readLine()).isEqualTo("three");
                }
            }
            var tunnel = fx.awaitRecord(d -> d.method().equals("CONNECT") && d.outcome().equals("ALLOW"));
            assertThat(tunnel.step()).contains("Stream");
            assertThat(tunnel.bytesIn()).isPositive();
            assertThat(tunnel.bytesOut()).isPositive();
        }
    }

    private static void serveEcho(ServerSocket server) {
        try (Socket c = server.accept();
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
            }
        } catch (java.io.IOException e) {
            // the test closed the tunnel
        }
    }
}
