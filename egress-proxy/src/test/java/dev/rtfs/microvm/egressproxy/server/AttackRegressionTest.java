package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks from inside the guest that the review of issue 6 found or ruled out, each pinned by a test: report mode
 * must not open the SSRF guards, a request or tunnel in flight when its step ends is decided under the rules at
 * that moment, a malformed chunked body is not forwarded truncated, a keep-alive connection re-decides every
 * request, and every request leaves exactly one decision record.
 */
class AttackRegressionTest {

    @TempDir
    Path tmp;

    @Test
    void reportModeStillRefusesDeniedAddressClasses() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.REPORT, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("metadata.test", "169.254.169.254").map("loop.test", "127.0.0.1");
            int port = fx.agent("r", "{\"allow_domains\":[\"listed.test\"]}");
            // Through the seam: a name pointing at the metadata service is never dialed, whatever the mode.
            Curl.Result meta = Curl.run(tmp, "-x", fx.proxyUrl(port), "http://metadata.test/latest/meta-data/");
            assertThat(meta.status()).isEqualTo(403);
            assertThat(meta.header("X-Egress-Denied")).isEqualTo("address-denied");
            Curl.Result metaTunnel = Curl.run(tmp, "-p", "-x", fx.proxyUrl(port), "https://metadata.test/");
            assertThat(metaTunnel.connectStatus()).isEqualTo(403);
            // Real curl against a loopback origin that counts hits: by name and by literal.
            Curl.Result byName = Curl.run(tmp, "-x", fx.proxyUrl(port), "http://loop.test:" + origin.port() + "/");
            assertThat(byName.status()).isEqualTo(403);
            Curl.Result byLiteral = Curl.run(tmp, "-x", fx.proxyUrl(port), "http://127.0.0.1:" + origin.port() + "/");
            assertThat(byLiteral.status()).isEqualTo(403);
            assertThat(byLiteral.header("X-Egress-Denied")).isEqualTo("address-denied");
            assertThat(origin.hits()).isZero();
            assertThat(fx.connector.refused()).isEmpty();
            assertThat(fx.connector.dialed()).isEmpty();
        }
    }

    @Test
    void aRequestWhoseStepEndsWhileItsBodyIsInFlightIsDecidedUnderTheNewRules() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("upload.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"upload.test\"],\"allow_methods\":[\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"]}");
            fx.proxy.setStep("a", AclCodec.parseAgent("{\"agent_id\":\"a\",\"step\":\"Upload\","
                    + "\"allow_domains\":[\"upload.test\"],\"allow_methods\":[\"POST\"]}"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("POST http://upload.test:" + origin.port() + "/up HTTP/1.1\r\nHost: upload.test\r\n"
                        + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // The 100 Continue proves the head was accepted under step Upload.
                assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 100");
                fx.proxy.clearStep("a");
                out.write("hello".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                RawClient.Answer a = RawClient.readAll(s.getInputStream());
                assertThat(a.status()).isEqualTo(403);
                assertThat(a.text()).contains("X-Egress-Denied: between-steps");
            }
            assertThat(origin.hits()).isZero();
        }
    }

    @Test
    void aTunnelWhoseStepEndsBeforeItsClientHelloIsNeverOpened() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("tls.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"tls.test\"],\"connect_ports\":[" + origin.port()
                    + "],\"allow_ranges\":[\"127.0.0.0/8\"]}");
            fx.proxy.setStep("a", AclCodec.parseAgent("{\"agent_id\":\"a\",\"step\":\"Fetch\","
                    + "\"allow_domains\":[\"tls.test\"],\"connect_ports\":[" + origin.port() + "]}"));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("CONNECT tls.test:" + origin.port() + " HTTP/1.1\r\nHost: tls.test\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
                fx.proxy.clearStep("a");
                s.getOutputStream().write(TlsHello.clientHello("tls.test"));
                assertThat(RawClient.readAll(s.getInputStream()).closed()).isTrue();
            }
            DecisionRecord d = fx.awaitRecord(r -> r.method().equals("CONNECT"));
            assertThat(d.outcome()).isEqualTo("DENY");
            assertThat(d.reason()).isEqualTo("between-steps");
            assertThat(fx.connector.dialed()).as("the tunnel's upstream is never dialed").isEmpty();
        }
    }

    @Test
    void aMalformedChunkIsRefusedNotForwardedTruncated() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"],\"dlp\":\"off\"}");
            RawClient.Answer a = RawClient.exchange(port, "POST http://origin.test:" + origin.port() + "/c HTTP/1.1\r\n"
                    + "Host: origin.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n");
            assertThat(a.status()).isEqualTo(400);
            assertThat(origin.hits()).isZero();
        }
    }

    @Test
    void everyRequestOnAKeepAliveConnectionIsDecidedOnItsOwnAndRecordedOnce() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1").map("other.test", "127.0.0.1").map("evil.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\",\"other.test\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"]}");
            String o = "http://origin.test:" + origin.port();
            // #2 reuses the pinned upstream (same address, another allowed name); #3 names a denied host.
            RawClient.Answer a = RawClient.exchange(port, "GET http://ORIGIN.Test.:" + origin.port()
                    + "/one HTTP/1.1\r\nHost: evil.test\r\n\r\n"
                    + "GET http://other.test:" + origin.port() + "/two HTTP/1.1\r\nHost: origin.test\r\n\r\n"
                    + "GET http://evil.test:" + origin.port() + "/three HTTP/1.1\r\nHost: origin.test\r\n\r\n"
                    + "GET " + o + "/four HTTP/1.1\r\nHost: origin.test\r\n\r\n");
            assertThat(a.text()).contains("GET /one host=origin.test:" + origin.port() + " ").contains("GET /two host=other.test:")
                    .contains("X-Egress-Denied: domain-not-allowed").doesNotContain("/three").doesNotContain("/four");
            assertThat(origin.hits()).isEqualTo(2);
            List<DecisionRecord> recs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                recs.add(fx.awaitRecord(r -> true));
            }
            assertThat(recs).extracting(DecisionRecord::host).containsExactly("origin.test", "other.test", "evil.test");
            assertThat(recs).extracting(DecisionRecord::outcome).containsExactly("ALLOW", "ALLOW", "DENY");
            assertThat(fx.records.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).as("no fourth record").isNull();
            assertThat(fx.connector.dialed()).hasSize(1);
        }
    }

    @Test
    void plainHttpInsideAnAllowedTunnelIsRefused() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"connect_ports\":[" + origin.port()
                    + "],\"allow_ranges\":[\"127.0.0.0/8\"]}");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5000);
                // Head and inner request in one write: the inner bytes must not be read as a second proxy request.
                s.getOutputStream().write(("CONNECT origin.test:" + origin.port() + " HTTP/1.1\r\nHost: origin.test\r\n\r\n"
                        + "GET http://origin.test:" + origin.port() + "/inner HTTP/1.1\r\nHost: origin.test\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                RawClient.Answer a = RawClient.readAll(in);
                assertThat(a.text()).startsWith("HTTP/1.1 200").doesNotContain("/inner");
                assertThat(a.closed()).isTrue();
            }
            assertThat(fx.awaitRecord(r -> r.method().equals("CONNECT")).reason()).isEqualTo("not-tls");
            assertThat(origin.hits()).isZero();
        }
    }

    @Test
    void dlpSeesPercentEncodedSecretsAndEveryContentEncoding() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            String common = "\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"]";
            int strict = fx.agent("strict", "{" + common + ",\"dlp\":\"strict\"}");
            int lenient = fx.agent("lenient", "{" + common + ",\"dlp\":\"lenient\"}");
            String url = "http://origin.test:" + origin.port() + "/p";
            for (int port : new int[] {strict, lenient}) {
                for (String body : List.of("card=4111+1111+1111+1111", "card=4111%201111%201111%201111",
                        "k=-----BEGIN+PRIVATE+KEY-----%0AMIIEvQIBADANBgkqhkiG9w0BAQEFAASC%0A-----END+PRIVATE+KEY-----",
                        "to=alice%40example.com")) {
                    Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(port), "--data-binary", body, url);
                    assertThat(r.status()).as(port + " " + body).isEqualTo(403);
                    assertThat(r.header("X-Egress-Denied")).isEqualTo("dlp");
                }
                Curl.Result q = Curl.run(tmp, "-x", fx.proxyUrl(port), url + "?c=4111%201111%201111%201111");
                assertThat(q.status()).as("query of " + port).isEqualTo(403);
            }
            Curl.Result twoEncodings = Curl.run(tmp, "-x", fx.proxyUrl(strict), "-H", "Content-Encoding: identity",
                    "-H", "Content-Encoding: gzip", "--data-binary", "anything", url);
            assertThat(twoEncodings.status()).isEqualTo(403);
            assertThat(twoEncodings.header("X-Egress-Denied")).isEqualTo("dlp-unscannable");
            assertThat(origin.hits()).isZero();
            // Clean encoded text still passes.
            assertThat(Curl.run(tmp, "-x", fx.proxyUrl(strict), "--data-binary", "q=hello+world%21", url).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aGuestChosenSniCannotForgeALogLine() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2))) {
            fx.resolver.map("tls.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"tls.test\"],\"allow_ranges\":[\"127.0.0.0/8\"]}");
            byte[] hello = TlsHello.clientHello("aaaaaaaaaaaaaaaa.test");
            int at = indexOf(hello, "aaaaaaaaaaaaaaaa.test".getBytes(StandardCharsets.US_ASCII));
            byte[] forged = "a\negress agent=x".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(forged, 0, hello, at, forged.length);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("CONNECT tls.test:443 HTTP/1.1\r\nHost: tls.test\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(hello);
                assertThat(RawClient.readAll(s.getInputStream()).closed()).isTrue();
            }
            DecisionRecord d = fx.awaitRecord(r -> r.method().equals("CONNECT"));
            assertThat(d.reason()).isEqualTo("sni-mismatch");
            assertThat(d.detail()).contains("\n");
            assertThat(d.toLogLine()).doesNotContain("\n").contains("a\\x0aegress agent=x");
            assertThat(fx.connector.dialed()).isEmpty();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("needle not found");
    }

    @Test
    void aSilentOriginAnswers504AndASilentTunnelClosesAtTheIdleTimeout() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5), Duration.ofMillis(600));
                java.net.ServerSocket silent = new java.net.ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepts, reads nothing, answers nothing
                    }
                } catch (java.io.IOException e) {
                    // closed by the test
                }
            });
            fx.resolver.map("silent.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"silent.test\"],\"connect_ports\":[" + silent.getLocalPort()
                    + "],\"allow_ranges\":[\"127.0.0.0/8\"]}");
            long start = System.nanoTime();
            RawClient.Answer http = RawClient.exchange(port, "GET http://silent.test:" + silent.getLocalPort()
                    + "/ HTTP/1.1\r\nHost: silent.test\r\n\r\n");
            assertThat(http.status()).isEqualTo(504);
            assertThat(http.text()).contains("X-Egress-Error: upstream-timeout");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("CONNECT silent.test:" + silent.getLocalPort() + " HTTP/1.1\r\n"
                        + "Host: silent.test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(TlsHello.clientHello("silent.test"));
                RawClient.Answer tunnel = RawClient.readAll(s.getInputStream());
                assertThat(tunnel.text()).startsWith("HTTP/1.1 200");
                assertThat(tunnel.closed()).as("the idle tunnel is closed by the proxy").isTrue();
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4500);
            assertThat(fx.awaitRecord(r -> r.method().equals("CONNECT")).outcome()).isEqualTo("ALLOW");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aClientHelloSplitAcrossRecordsAndSegmentsIsReassembledAndForwardedWhole() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5));
                java.net.ServerSocket upstream = new java.net.ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            byte[] one = TlsHello.clientHello("split.test");
            int bodyLen = ((one[3] & 0xff) << 8) | (one[4] & 0xff);
            int half = bodyLen / 2;
            int rest = bodyLen - half;
            // The same handshake in two records.
            java.io.ByteArrayOutputStream two = new java.io.ByteArrayOutputStream();
            two.write(new byte[] {22, 3, 1, (byte) (half >> 8), (byte) half});
            two.write(one, 5, half);
            two.write(new byte[] {22, 3, 1, (byte) (rest >> 8), (byte) rest});
            two.write(one, 5 + half, rest);
            byte[] hello = two.toByteArray();
            java.util.concurrent.CompletableFuture<byte[]> received = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket c = upstream.accept()) {
                    received.complete(c.getInputStream().readNBytes(hello.length));
                } catch (java.io.IOException e) {
                    received.completeExceptionally(e);
                }
            });
            fx.resolver.map("split.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"split.test\"],\"connect_ports\":[" + upstream.getLocalPort()
                    + "],\"allow_ranges\":[\"127.0.0.0/8\"]}");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(5000);
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                out.write(("CONNECT split.test:" + upstream.getLocalPort() + " HTTP/1.1\r\nHost: split.test\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(hello, 0, 3); // inside the first record header
                out.flush();
                assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
                int cut = 5 + half + 2; // inside the second record header
                out.write(hello, 3, cut - 3);
                out.flush();
                Thread.sleep(50); // no signal exists for "the proxy has read this segment"; a gap makes two reads likely
                out.write(hello, cut, hello.length - cut);
                out.flush();
                assertThat(received.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(hello);
            }
            DecisionRecord d = fx.awaitRecord(r -> r.method().equals("CONNECT"));
            assertThat(d.outcome()).isEqualTo("ALLOW");
            assertThat(d.bytesIn()).isEqualTo(hello.length);
        }
    }

    @Test
    void chunkTrailersAreNeverForwardedAndTheBodyIsReframed() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5));
                java.net.ServerSocket raw = new java.net.ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (Socket c = raw.accept()) {
                    InputStream in = c.getInputStream();
                    String head = RawClient.readHead(in);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
                    int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
                    seen.complete(head + new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
                    c.getOutputStream().write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    seen.completeExceptionally(e);
                }
            });
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"]}");
            RawClient.Answer a = RawClient.exchange(port, "POST http://origin.test:" + raw.getLocalPort() + "/t HTTP/1.1\r\n"
                    + "Host: origin.test\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nTrailer: X-Leak\r\n\r\n"
                    + "5\r\nhello\r\n0\r\nX-Leak: AKIAIOSFODNN7EXAMPLE\r\n\r\n");
            assertThat(a.status()).isEqualTo(204);
            String upstream = seen.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(upstream).containsIgnoringCase("content-length: 5").endsWith("\r\n\r\nhello")
                    .doesNotContainIgnoringCase("transfer-encoding").doesNotContain("AKIA").doesNotContainIgnoringCase("x-leak");
        }
    }

    @Test
    void manyHalfSentBodiesCannotExhaustTheProxyAndTheBudgetIsReturned() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5), Duration.ofSeconds(30), 3000);
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"],\"dlp\":\"off\"}");
            String head = "POST http://origin.test:" + origin.port() + "/b HTTP/1.1\r\nHost: origin.test\r\n"
                    + "Connection: close\r\nContent-Length: ";
            try (Socket holder = new Socket(InetAddress.getLoopbackAddress(), port)) {
                holder.getOutputStream().write((head + "4000\r\n\r\n" + "x".repeat(2500)).getBytes(StandardCharsets.US_ASCII));
                holder.getOutputStream().flush();
                awaitHeld(fx, 2500);
                RawClient.Answer busy = RawClient.exchange(port, head + "1000\r\n\r\n" + "y".repeat(1000));
                assertThat(busy.status()).isEqualTo(503);
                assertThat(busy.text()).contains("X-Egress-Error: proxy-busy");
            }
            awaitHeld(fx, 0);
            RawClient.Answer ok = RawClient.exchange(port, head + "1000\r\n\r\n" + "z".repeat(1000));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(origin.hits()).isEqualTo(1);
            assertThat(fx.proxy.bufferedRequestBytes()).as("every reservation returned").isZero();
        }
    }

    /** Waits (bounded) until the proxy holds exactly {@code bytes} of request bodies. */
    private static void awaitHeld(ProxyFixture fx, long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (fx.proxy.bufferedRequestBytes() != bytes && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(fx.proxy.bufferedRequestBytes()).isEqualTo(bytes);
    }
}
