package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code "tls": "intercept"} through the host's real curl: the proxy terminates the guest's TLS with a leaf of its
 * per-run CA, applies the plain-HTTP rules to each decrypted request, and re-originates TLS to loopback origins
 * signed by a test CA (the agents' {@code upstream_ca}), with pins and client certificates.
 */
class InterceptionEndToEndTest {

    /**
     * The protocol curl asks for inside the tunnel (ALPN): HTTP/1.1 here; {@link InterceptionOverH2EndToEndTest} runs
     * every test again over h2, where each stream must meet the same rules.
     */
    String protocol() {
        return "--http1.1";
    }

    static final String AWS = "AKIAIOSFODNN7EXAMPLE";

    static ProxyFixture fx;
    static TestCa ca;
    static Path originCa;
    static Path proxyCa;
    static LoopbackOrigin good;
    static LoopbackOrigin expired;
    static LoopbackOrigin wrongName;
    static LoopbackOrigin mtls;
    static int strict;
    static int lenient;
    static int noClientCert;
    static int tunnel;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Curl.requireCurl();
        ca = new TestCa();
        originCa = ca.writeCaPem(tmp);
        TestCa.ServerLeaf goodLeaf = ca.serverLeaf("tls.test", "pinned.test", "pass.test");
        good = LoopbackOrigin.https(goodLeaf.context());
        expired = LoopbackOrigin.https(ca.expiredServerLeaf("expired.test").context());
        wrongName = LoopbackOrigin.https(ca.serverContext("someone-else.test"));
        mtls = LoopbackOrigin.httpsNeedingClientCert(ca.mtlsServerLeaf("mtls.test").context());
        Path[] client = ca.writeClientCert(tmp, "agent-client");

        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
        for (String h : List.of("tls.test", "pinned.test", "pass.test", "expired.test", "wrong.test", "mtls.test")) {
            fx.resolver.map(h, "127.0.0.1");
        }
        proxyCa = tmp.resolve("proxy-ca.pem");
        Files.writeString(proxyCa, fx.proxy.interceptionCaPem());

        String wrongPin = "sha256/" + Base64.getEncoder().encodeToString(new byte[32]);
        String common = "\"allow_domains\":[\"tls.test\",\"pinned.test\",\"pass.test\",\"expired.test\",\"wrong.test\","
                + "\"mtls.test\"],\"allow_methods\":[\"GET\",\"POST\"],\"connect_ports\":[" + good.port() + ","
                + expired.port() + "," + wrongName.port() + "," + mtls.port() + "],\"allow_ranges\":[\"127.0.0.0/8\"],"
                + "\"tls\":\"intercept\",\"upstream_ca\":\"" + originCa + "\",\"tls_passthrough\":[\"pass.test\"],"
                + "\"tls_pins\":{\"tls.test\":[\"" + goodLeaf.spkiPin() + "\"],\"pinned.test\":[\"" + wrongPin + "\"]}";
        String certs = ",\"client_cert\":{\"mtls.test\":{\"cert\":\"" + client[0] + "\",\"key\":\"" + client[1] + "\"}}";
        strict = fx.agent("strict", "{" + common + certs + ",\"dlp\":\"strict\"}");
        lenient = fx.agent("lenient", "{" + common + certs + ",\"dlp\":\"lenient\"}");
        noClientCert = fx.agent("nocert", "{" + common + ",\"dlp\":\"strict\"}");
        tunnel = fx.agent("tunnel", "{\"allow_domains\":[\"tls.test\"],\"connect_ports\":[" + good.port()
                + "],\"allow_ranges\":[\"127.0.0.0/8\"]}");
    }

    @AfterAll
    static void stop() {
        fx.close();
        for (LoopbackOrigin o : List.of(good, expired, wrongName, mtls)) {
            o.close();
        }
    }

    Curl.Result curl(int listener, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(protocol(), "--cacert", proxyCa.toString(), "-x",
                fx.proxyUrl(listener)));
        all.addAll(List.of(args));
        return Curl.run(tmp, all.toArray(String[]::new));
    }

    String url(LoopbackOrigin o, String host, String path) {
        return "https://" + host + ":" + o.port() + path;
    }

    DecisionRecord lastRecord(String agent, String method) throws InterruptedException {
        return fx.awaitRecord(r -> r.agentId().equals(agent) && r.method().equals(method));
    }

    /** Records of an earlier test's closing connections (e.g. the garbage rounds) never count for the next one. */
    @BeforeEach
    void settle() throws InterruptedException {
        fx.settleRecords();
    }

    @Test
    void anInterceptedGetReachesTheOriginOverVerifiedTlsWithTheProxysLeaf() throws Exception {
        int before = good.hits();
        Curl.Result r = curl(strict, "-v", url(good, "tls.test", "/hello?x=1"));
        assertThat(r.connectStatus()).isEqualTo(200);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).as("the protocol under test").isEqualTo(protocol().equals("--http2") ? "2" : "1.1");
        assertThat(r.body()).startsWith("GET /hello?x=1 host=tls.test:" + good.port());
        assertThat(good.hits()).isEqualTo(before + 1);
    }

    @Test
    void theGuestSeesALeafOfTheProxysCaNotTheOrigins() throws Exception {
        // Trusting only the origin's CA, curl must refuse: what it is shown is the proxy's leaf.
        Curl.Result r = Curl.run(tmp, "--cacert", originCa.toString(), "-x", fx.proxyUrl(strict),
                url(good, "tls.test", "/who"));
        assertThat(r.exit()).isEqualTo(60); // CURLE_PEER_FAILED_VERIFICATION
    }

    @Test
    void anAwsKeyInAnHttpsPostBodyIsBlockedUnderStrictAndRedactedUnderLenient() throws Exception {
        int before = good.hits();
        Curl.Result s = curl(strict, "--data-binary", "key=" + AWS, url(good, "tls.test", "/post"));
        assertThat(s.status()).isEqualTo(403);
        assertThat(s.header("X-Egress-Denied")).isEqualTo("dlp");
        assertThat(good.hits()).as("the origin saw nothing").isEqualTo(before);

        Curl.Result l = curl(lenient, "--data-binary", "key=" + AWS, url(good, "tls.test", "/post"));
        assertThat(l.status()).isEqualTo(200);
        assertThat(l.body()).contains("[REDACTED:");
        assertThat(good.bodies().get(good.bodies().size() - 1)).doesNotContain(AWS);
        assertThat(lastRecord("lenient", "POST").reason()).isEqualTo("dlp-redacted");
    }

    @Test
    void anAwsKeyInAnHttpsHeaderIsBlockedUnderStrictAndRedactedUnderLenient() throws Exception {
        int before = good.hits();
        Curl.Result s = curl(strict, "-H", "X-Api-Key: " + AWS, url(good, "tls.test", "/h"));
        assertThat(s.status()).isEqualTo(403);
        assertThat(s.header("X-Egress-Denied")).isEqualTo("dlp");
        assertThat(good.hits()).isEqualTo(before);

        Curl.Result l = curl(lenient, "-H", "X-Api-Key: " + AWS, url(good, "tls.test", "/h"));
        assertThat(l.status()).isEqualTo(200);
        String seen = good.headers().get(good.headers().size() - 1).getFirst("X-Api-Key");
        assertThat(seen).doesNotContain(AWS).contains("REDACTED");
    }

    @Test
    void aBase64EncodedAwsKeyInAnHttpsBodyIsBlockedUnderStrict() throws Exception {
        int before = good.hits();
        String encoded = Base64.getEncoder().encodeToString(("aws_access_key_id=" + AWS).getBytes(StandardCharsets.UTF_8));
        Curl.Result s = curl(strict, "--data-binary", "blob=" + encoded, url(good, "tls.test", "/b64"));
        assertThat(s.status()).isEqualTo(403);
        assertThat(s.header("X-Egress-Denied")).isEqualTo("dlp");
        assertThat(good.hits()).isEqualTo(before);
    }

    @Test
    void aMethodOutsideTheAclOverHttpsIs403() throws Exception {
        int before = good.hits();
        Curl.Result r = curl(strict, "-X", "DELETE", url(good, "tls.test", "/x"));
        assertThat(r.connectStatus()).isEqualTo(200);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("method-not-allowed");
        assertThat(good.hits()).isEqualTo(before);
    }

    @Test
    void twoRequestsOnOneInterceptedConnectionGetTwoDecisionRecords() throws Exception {
        fx.records.clear();
        // Two URLs in one curl run share the one CONNECT tunnel (curl reuses the connection).
        Curl.Result r = curl(strict, url(good, "tls.test", "/one"), "-o", "/dev/null", url(good, "tls.test", "/two"));
        assertThat(r.exit()).isZero();
        List<DecisionRecord> strictRecords = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (strictRecords.stream().filter(d -> d.method().equals("GET")).count() < 2 && System.nanoTime() < deadline) {
            DecisionRecord d = fx.records.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (d != null && d.agentId().equals("strict")) {
                strictRecords.add(d);
            }
        }
        assertThat(strictRecords).filteredOn(d -> d.method().equals("GET")).hasSize(2).allSatisfy(d -> {
            assertThat(d.host()).isEqualTo("tls.test");
            assertThat(d.outcome()).isEqualTo("ALLOW");
            assertThat(d.status()).isEqualTo(200);
        });
        assertThat(strictRecords).filteredOn(d -> d.method().equals("CONNECT"))
                .singleElement().satisfies(c -> assertThat(c.detail()).contains("intercepted"));
    }

    @Test
    void aHostHeaderNamingAnotherDomainInsideTheTunnelIsRefused() throws Exception {
        int before = good.hits();
        Curl.Result r = curl(strict, "-H", "Host: pinned.test", url(good, "tls.test", "/front"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("sni-mismatch");
        assertThat(good.hits()).isEqualTo(before);
    }

    @Test
    void aPinMismatchIs502NamingThePin() throws Exception {
        fx.records.clear();
        int before = good.hits();
        Curl.Result r = curl(strict, url(good, "pinned.test", "/p"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("upstream-tls: pin-mismatch");
        assertThat(good.hits()).isEqualTo(before);
        DecisionRecord d = lastRecord("strict", "GET");
        assertThat(d.reason()).isEqualTo("upstream-tls");
        assertThat(d.detail()).startsWith("pin-mismatch");
    }

    @Test
    void anOriginWithAnExpiredCertificateIs502Expired() throws Exception {
        Curl.Result r = curl(strict, url(expired, "expired.test", "/e"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("upstream-tls: expired");
        assertThat(expired.hits()).isZero();
    }

    @Test
    void anOriginWithACertificateForAnotherNameIs502Hostname() throws Exception {
        Curl.Result r = curl(strict, url(wrongName, "wrong.test", "/w"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("upstream-tls: hostname");
        assertThat(wrongName.hits()).isZero();
    }

    @Test
    void anMtlsOriginWorksWithTheConfiguredClientCertificateAndFailsWithout() throws Exception {
        Curl.Result ok = curl(strict, url(mtls, "mtls.test", "/m"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).startsWith("GET /m");

        int hits = mtls.hits();
        Curl.Result without = curl(noClientCert, url(mtls, "mtls.test", "/m"));
        assertThat(without.status()).isEqualTo(502);
        assertThat(without.header("X-Egress-Denied")).isEqualTo("upstream-tls: client-cert");
        assertThat(mtls.hits()).isEqualTo(hits);
    }

    @Test
    void aMissingClientCertificateFileIs502NamingTheMaterialAndTheProxyStaysUp() throws Exception {
        int port = fx.agent("missing", "{\"allow_domains\":[\"mtls.test\"],\"connect_ports\":[" + mtls.port()
                + "],\"allow_ranges\":[\"127.0.0.0/8\"],\"tls\":\"intercept\",\"upstream_ca\":\"" + originCa
                + "\",\"client_cert\":{\"mtls.test\":{\"cert\":\"/nonexistent/c.pem\",\"key\":\"/nonexistent/k.pem\"}}}");
        Curl.Result r = curl(port, url(mtls, "mtls.test", "/m"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("upstream-tls: material");
        assertThat(curl(strict, url(good, "tls.test", "/still-up")).status()).isEqualTo(200);
    }

    @Test
    void aPassthroughDomainIsSplicedAndCurlSeesTheOriginsCertificate() throws Exception {
        int before = good.hits();
        // Trusting only the origin's CA works only if the tunnel is spliced end to end.
        Curl.Result r = Curl.run(tmp, "--cacert", originCa.toString(), "-x", fx.proxyUrl(strict),
                "--data-binary", "key=" + AWS, url(good, "pass.test", "/pt"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(good.hits()).as("DLP is blind on a passthrough domain").isEqualTo(before + 1);
    }

    @Test
    void aClientHelloWithoutSniIsRefusedWithoutALeafAndOtherAgentsAreUnaffected() throws Exception {
        fx.records.clear();
        byte[] reply = connectThenSend(strict, "tls.test:" + good.port(), TlsHello.clientHello(null));
        assertThat(new String(reply, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        DecisionRecord d = lastRecord("strict", "CONNECT");
        assertThat(d.outcome()).isEqualTo("DENY");
        assertThat(d.reason()).isEqualTo("sni-missing");
        assertThat(curl(strict, url(good, "tls.test", "/after")).status()).isEqualTo(200);
    }

    @Test
    void aSniOutsideTheAclIsRefusedBeforeAnyLeafIsMinted() throws Exception {
        fx.records.clear();
        long minted = fx.proxy.interceptionLeavesMinted();
        byte[] reply = connectThenSend(strict, "tls.test:" + good.port(), TlsHello.clientHello("evil.example"));
        assertThat(new String(reply, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        DecisionRecord d = lastRecord("strict", "CONNECT");
        assertThat(d.reason()).isEqualTo("sni-mismatch");
        assertThat(fx.proxy.interceptionLeavesMinted()).isEqualTo(minted);
    }

    @Test
    void seededGarbageAfterConnectUnderInterceptionNeverKillsTheProxy() throws Exception {
        long seed = System.nanoTime();
        System.out.println("InterceptionEndToEndTest garbage seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 25; i++) {
            byte[] junk = new byte[1 + random.nextInt(600)];
            random.nextBytes(junk);
            if (random.nextBoolean()) {
                junk[0] = 0x16; // looks like a TLS handshake record, then garbage
            }
            connectThenSend(strict, "tls.test:" + good.port(), junk);
        }
        assertThat(curl(strict, url(good, "tls.test", "/alive")).status()).as("seed " + seed).isEqualTo(200);
        assertThat(Curl.run(tmp, "--cacert", originCa.toString(), "-x", fx.proxyUrl(tunnel),
                url(good, "tls.test", "/tunnel")).status()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheProxyCaFailsAndLeavesOneClientTlsDenial() throws Exception {
        fx.records.clear();
        // No --cacert: curl's own trust store does not hold this run's interception CA.
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(strict), url(good, "tls.test", "/untrusted"));
        assertThat(r.exit()).isEqualTo(60); // CURLE_PEER_FAILED_VERIFICATION
        List<DecisionRecord> denials = clientTlsDenials("strict");
        assertThat(denials).hasSize(1);
        assertThat(denials.get(0).outcome()).isEqualTo("DENY");
        assertThat(denials.get(0).host()).isEqualTo("tls.test");
        assertThat(denials.get(0).detail()).startsWith("handshake: ");
        assertThat(curl(strict, url(good, "tls.test", "/still-up")).status()).isEqualTo(200);
    }

    @Test
    void aClientWithNoCipherInCommonWithTheLeafLeavesOneClientTlsDenial() throws Exception {
        fx.records.clear();
        // The leaf is EC: an RSA-only cipher list cannot be served.
        Curl.Result r = curl(strict, "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256",
                url(good, "tls.test", "/rsa-only"));
        assertThat(r.exit()).isNotZero();
        assertThat(clientTlsDenials("strict")).hasSize(1);
    }

    @Test
    void seededGarbageAfterAValidClientHelloEndsInExactlyOneClientTlsDenial() throws Exception {
        long seed = System.nanoTime();
        System.out.println("InterceptionEndToEndTest garbage-after-hello seed " + seed);
        Random random = new Random(seed);
        for (int i = 0; i < 4; i++) {
            fx.records.clear();
            byte[] hello = TlsHello.clientHello("tls.test");
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            if (random.nextBoolean()) {
                junk[0] = 0x16; // looks like the next handshake record
            }
            byte[] payload = new byte[hello.length + junk.length];
            System.arraycopy(hello, 0, payload, 0, hello.length);
            System.arraycopy(junk, 0, payload, hello.length, junk.length);
            connectThenSend(strict, "tls.test:" + good.port(), payload);
            List<DecisionRecord> denials = clientTlsDenials("strict");
            assertThat(denials).as("seed " + seed + " round " + i).hasSize(1);
            assertThat(denials.get(0).detail()).as("seed " + seed).startsWith("handshake: ").hasSizeLessThan(200);
        }
        assertThat(curl(strict, url(good, "tls.test", "/alive")).status()).as("seed " + seed).isEqualTo(200);
    }

    @Test
    void aClientSilentAfterItsClientHelloIsClosedWithinTheHeaderTimeoutWithOneClientTlsDenial() throws Exception {
        fx.records.clear();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), strict)) {
            s.setSoTimeout(8000);
            String authority = "tls.test:" + good.port();
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            RawClient.readHead(in);
            out.write(TlsHello.clientHello("tls.test"));
            out.flush();
            long start = System.nanoTime();
            while (in.read(new byte[4096]) >= 0) {
                // the proxy's ServerHello and the rest of its flight; then nothing until it closes
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isLessThan(Duration.ofSeconds(4)); // header timeout 2 s, plus slack
        }
        List<DecisionRecord> denials = clientTlsDenials("strict");
        assertThat(denials).hasSize(1);
        assertThat(denials.get(0).detail()).isEqualTo("handshake: not complete within PT2S");
    }

    /** The {@code client-tls} records of {@code agent}: waits (5 s) for the first, then 500 ms more for others. */
    static List<DecisionRecord> clientTlsDenials(String agent) throws InterruptedException {
        List<DecisionRecord> found = new ArrayList<>();
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            DecisionRecord r = fx.records.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (r != null && r.agentId().equals(agent) && r.reason().equals("client-tls")) {
                found.add(r);
                until = System.nanoTime() + 500_000_000L;
            }
        }
        return found;
    }

    /** CONNECT, then {@code payload} after the 200; returns what came back until close (bounded, 3 s). */
    static byte[] connectThenSend(int listener, String authority, byte[] payload) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener)) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = RawClient.readHead(in).getBytes(StandardCharsets.ISO_8859_1);
            int n = head.length;
            out.write(payload);
            out.flush();
            byte[] rest;
            try {
                rest = in.readNBytes(4096);
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                rest = new byte[0];
            }
            byte[] all = new byte[n + rest.length];
            System.arraycopy(head, 0, all, 0, n);
            System.arraycopy(rest, 0, all, n, rest.length);
            return all;
        }
    }
}
