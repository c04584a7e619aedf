package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real clients (curl, the JDK HttpClient, raw sockets) through a real proxy to loopback origins. */
class ProxyEndToEndTest {

    static ProxyFixture fx;
    static LoopbackOrigin origin;
    static LoopbackOrigin tlsOrigin;
    static TestCa ca;
    static Path caPem;
    static int a;
    static int lenient;
    static int small;
    static int limited;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        ca = new TestCa();
        caPem = ca.writeCaPem(tmp);
        origin = LoopbackOrigin.http();
        tlsOrigin = LoopbackOrigin.https(ca.serverContext("tls.test", "echo.test"));
        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(1));
        fx.resolver.map("origin.test", "127.0.0.1").map("tls.test", "127.0.0.1");
        String common = "\"allow_domains\":[\"origin.test\",\"tls.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                + "\"connect_ports\":[" + tlsOrigin.port() + "],\"allow_ranges\":[\"127.0.0.0/8\"]";
        a = fx.agent("a", "{" + common + ",\"dlp\":\"strict\",\"max_request_bytes\":4096}");
        lenient = fx.agent("lenient", "{" + common + ",\"dlp\":\"lenient\"}");
        small = fx.agent("small", "{" + common + ",\"dlp\":\"off\",\"max_request_bytes\":1000,\"max_response_bytes\":5000}");
        limited = fx.agent("limited", "{" + common + ",\"rate\":{\"per_second\":1,\"burst\":2}}");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        // Every flow above (allowed, denied, 413, DLP, timeouts) must have returned its body reservation.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (fx.proxy.bufferedRequestBytes() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fx.proxy.bufferedRequestBytes()).isZero();
        fx.close();
        origin.close();
        tlsOrigin.close();
    }

    String url(String path) {
        return "http://origin.test:" + origin.port() + path;
    }

    @Test
    void curlGetThroughTheProxy() throws Exception {
        int before = origin.hits();
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(a), url("/hello?x=1"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("GET /hello?x=1 host=origin.test:" + origin.port() + " body=");
        assertThat(origin.hits()).isEqualTo(before + 1);
        DecisionRecord last = lastDecision("a");
        assertThat(last.outcome()).isEqualTo("ALLOW");
        assertThat(last.host()).isEqualTo("origin.test");
        assertThat(last.address()).contains("127.0.0.1");
        assertThat(last.bytesOut()).isEqualTo(r.body().length());
    }

    @Test
    void keepAliveAndPipelinedRequestsOnOneConnection() throws Exception {
        RawClient.Answer r = RawClient.exchange(a, "GET " + url("/one") + " HTTP/1.1\r\nHost: origin.test\r\n\r\n"
                + "GET " + url("/two") + " HTTP/1.1\r\nHost: origin.test\r\nConnection: close\r\n\r\n");
        assertThat(r.closed()).isTrue();
        assertThat(r.text()).contains("GET /one").contains("GET /two");
        assertThat(r.text().indexOf("GET /one")).isLessThan(r.text().indexOf("GET /two"));
        assertThat(r.text().split("HTTP/1.1 200", -1)).hasSize(3);
    }

    @Test
    void jdkHttpClientPlainAndTls() throws Exception {
        HttpClient plain = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), a))).build();
        HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create(url("/jdk"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /jdk");

        HttpClient tls = HttpClient.newBuilder().sslContext(ca.clientContext())
                .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), a))).build();
        HttpResponse<String> t = tls.send(HttpRequest.newBuilder(
                URI.create("https://tls.test:" + tlsOrigin.port() + "/secure")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(t.statusCode()).isEqualTo(200);
        assertThat(t.body()).startsWith("GET /secure");
    }

    @Test
    void curlHttpsThroughConnect() throws Exception {
        int before = tlsOrigin.hits();
        Curl.Result r = Curl.run(tmp, "--cacert", caPem.toString(), "-x", fx.proxyUrl(a),
                "https://tls.test:" + tlsOrigin.port() + "/tls");
        assertThat(r.connectStatus()).isEqualTo(200);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /tls");
        assertThat(tlsOrigin.hits()).isEqualTo(before + 1);
    }

    @Test
    void deniedDomainGets403WithReason() throws Exception {
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(a), "http://not-allowed.test/");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("domain-not-allowed");
        Curl.Result c = Curl.run(tmp, "-x", fx.proxyUrl(a), "https://not-allowed.test/");
        assertThat(c.connectStatus()).isEqualTo(403);
        assertThat(c.header("X-Egress-Denied")).isEqualTo("domain-not-allowed");
        assertThat(fx.connector.refused()).isEmpty();
    }

    @Test
    void methodNotAllowed() throws Exception {
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(a), "-X", "DELETE", url("/x"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("method-not-allowed");
    }

    static final String AWS = "AKIAIOSFODNN7EXAMPLE";
    static final String PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    static final String CARD = "4111 1111 1111 1111";

    @Test
    void dlpStrictBlocksSecretsAndLenientRedactsThem() throws Exception {
        for (String secret : List.of("key=" + AWS, PEM, "card=" + CARD)) {
            int before = origin.hits();
            Curl.Result s = Curl.run(tmp, "-x", fx.proxyUrl(a), "--data-binary", secret, url("/post"));
            assertThat(s.status()).as(secret).isEqualTo(403);
            assertThat(s.header("X-Egress-Denied")).isEqualTo("dlp");
            assertThat(origin.hits()).as("blocked before the origin").isEqualTo(before);

            Curl.Result l = Curl.run(tmp, "-x", fx.proxyUrl(lenient), "--data-binary", secret, url("/post"));
            assertThat(l.status()).as(secret).isEqualTo(200);
            assertThat(l.body()).contains("[REDACTED:");
            assertThat(origin.bodies().get(origin.bodies().size() - 1)).doesNotContain(AWS)
                    .doesNotContain("MIIEvQ").doesNotContain("1111 1111");
            assertThat(lastDecision("lenient").reason()).isEqualTo("dlp-redacted");
        }
        Curl.Result ok = Curl.run(tmp, "-x", fx.proxyUrl(a), "--data-binary", "card=4111 1111 1111 1112", url("/post"));
        assertThat(ok.status()).as("Luhn-invalid number passes").isEqualTo(200);
        assertThat(ok.body()).contains("card=4111 1111 1111 1112");
    }

    @Test
    void rateLimitAnswers429AndRecoversAfterRefill() throws Exception {
        assertThat(Curl.run(tmp, "-x", fx.proxyUrl(limited), url("/r1")).status()).isEqualTo(200);
        assertThat(Curl.run(tmp, "-x", fx.proxyUrl(limited), url("/r2")).status()).isEqualTo(200);
        Curl.Result limitedResult = Curl.run(tmp, "-x", fx.proxyUrl(limited), url("/r3"));
        assertThat(limitedResult.status()).isEqualTo(429);
        assertThat(limitedResult.header("X-Egress-Denied")).isEqualTo("rate-limited");
        assertThat(limitedResult.header("Retry-After")).isEqualTo("1");
        fx.clock.addAndGet(1_000_000_000L);
        assertThat(Curl.run(tmp, "-x", fx.proxyUrl(limited), url("/r4")).status()).isEqualTo(200);
    }

    @Test
    void bodyOverTheCapIs413() throws Exception {
        String big = "x".repeat(2000);
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(small), "--data-binary", big, url("/big"));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("request-too-large");
        Curl.Result chunked = Curl.run(tmp, "-x", fx.proxyUrl(small), "-H", "Transfer-Encoding: chunked",
                "--data-binary", big, url("/big"));
        assertThat(chunked.status()).isEqualTo(413);
    }

    @Test
    void responseOverTheCapIsRefused() throws Exception {
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(small), url("/big?n=4000"));
        assertThat(r.status()).isEqualTo(200);
        Curl.Result over = Curl.run(tmp, "-x", fx.proxyUrl(small), url("/big?n=6000"));
        assertThat(over.status()).isEqualTo(502);
        assertThat(over.header("X-Egress-Error")).isEqualTo("response-too-large");
    }

    @Test
    void slowlorisIsClosedAtTheHeaderTimeout() throws Exception {
        byte[] head = ("GET " + url("/slow") + " HTTP/1.1\r\nHost: origin.test\r\nX-Pad: aaaaaaaaaaaaaaaaaaaa\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a)) {
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            int sent = 0;
            String answer = "";
            boolean closed = false;
            while (sent < head.length && !closed) {
                try {
                    out.write(head[sent++]);
                    out.flush();
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
                try {
                    byte[] buf = new byte[1024];
                    int n = in.read(buf); // paces one byte per ~100 ms and notices the close
                    if (n < 0) {
                        closed = true;
                    } else {
                        answer += new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                        closed = true;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still open
                }
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(closed).as("closed before the head was complete").isTrue();
            assertThat(sent).isLessThan(head.length);
            assertThat(ms).isBetween(900L, 5000L);
            assertThat(answer).satisfiesAnyOf(x -> assertThat(x).isEmpty(), x -> assertThat(x).startsWith("HTTP/1.1 408"));
        }
        DecisionRecord last = lastDecision("a");
        assertThat(last.reason()).isEqualTo("header-timeout");
    }

    @Test
    void smugglingAndMalformedRequestsAre400Or431() throws Exception {
        String target = url("/s");
        assertThat(RawClient.exchange(a, "POST " + target + " HTTP/1.1\r\nHost: o\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n").status()).isEqualTo(400);
        RawClient.Answer dup = RawClient.exchange(a, "POST " + target + " HTTP/1.1\r\nHost: o\r\nContent-Length: 5\r\n"
                + "Content-Length: 6\r\n\r\nhello!");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(RawClient.exchange(a, "POST " + target + " HTTP/1.1\r\nHost: o\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
                .text()).contains("X-Egress-Denied: smuggling");
        assertThat(RawClient.exchange(a, "GARBAGE\r\n\r\n").status()).isEqualTo(400);
        assertThat(RawClient.exchange(a, "GET /origin-form HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(400);
        RawClient.Answer huge = RawClient.exchange(a, "GET " + target + " HTTP/1.1\r\nHost: o\r\nX-Big: "
                + "a".repeat(40_000) + "\r\n\r\n");
        assertThat(huge.status()).isEqualTo(431);
        assertThat(huge.closed()).isTrue();
        assertThat(origin.bodies()).noneMatch(b -> b.contains("hello!"));
    }

    @Test
    void halfOpenConnectionIsClosed() throws Exception {
        RawClient.Answer r = RawClient.exchange(a, ("GET " + url("/h") + " HTTP/1.1\r\nHost: o").getBytes(
                StandardCharsets.US_ASCII), true, 5000);
        assertThat(r.closed()).isTrue();
    }

    @Test
    void tlsTunnelNeedsAMatchingSni() throws Exception {
        int before = tlsOrigin.hits();
        String connect = "CONNECT tls.test:" + tlsOrigin.port() + " HTTP/1.1\r\nHost: tls.test\r\n\r\n";
        for (String sni : new String[] {"evil.test", null}) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(connect.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(dev.rtfs.microvm.egressproxy.testing.TlsHello.clientHello(sni));
                RawClient.Answer ans = RawClient.readAll(s.getInputStream());
                assertThat(ans.text()).startsWith("HTTP/1.1 200");
                assertThat(ans.closed()).isTrue();
            }
            assertThat(lastDecision("a").reason()).isEqualTo(sni == null ? "sni-missing" : "sni-mismatch");
        }
        // A correct SNI through a real TLS client works over the same kind of tunnel.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), a)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(connect.getBytes(StandardCharsets.US_ASCII));
            String head = RawClient.readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 200");
            SSLContext ctx = ca.clientContext();
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s, "tls.test", tlsOrigin.port(), true)) {
                tls.getOutputStream().write(("GET /in-tunnel HTTP/1.1\r\nHost: tls.test\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String resp = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(resp).startsWith("HTTP/1.1 200").contains("GET /in-tunnel");
            }
        }
        assertThat(tlsOrigin.hits()).isEqualTo(before + 1);
    }


    static DecisionRecord lastDecision(String agent) {
        List<DecisionRecord> all = fx.proxy.decisions(1000);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).agentId().equals(agent)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no decision for " + agent);
    }

    static {
        // Make sure the codec is loaded (and its static validation) before the proxy threads need it.
        AclCodec.class.getName();
    }
}
