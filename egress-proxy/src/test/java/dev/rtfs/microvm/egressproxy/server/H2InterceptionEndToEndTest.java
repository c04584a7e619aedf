package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is particular to HTTP/2 on the guest side of {@code "tls": "intercept"}, through the host's real curl
 * (nghttp2): streams of one connection answered and recorded each on its own, the :authority mapping, the
 * conversion headers, and the few kept-alive origin connections the streams share. Every rule an HTTP/1.1 request
 * meets is run over h2 as well by {@link InterceptionOverH2EndToEndTest} and {@link SecretInjectionOverH2EndToEndTest}.
 */
class H2InterceptionEndToEndTest {

    static ProxyFixture fx;
    static LoopbackOrigin good;
    static Path proxyCa;
    static int strict;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Curl.requireCurl();
        TestCa ca = new TestCa();
        Path originCa = ca.writeCaPem(tmp);
        good = LoopbackOrigin.https(ca.serverLeaf("tls.test", "api.test", "pinned.test").context());
        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
        for (String h : List.of("tls.test", "api.test", "pinned.test")) {
            fx.resolver.map(h, "127.0.0.1");
        }
        proxyCa = tmp.resolve("proxy-ca.pem");
        Files.writeString(proxyCa, fx.proxy.interceptionCaPem());
        String common = "\"allow_domains\":[\"tls.test\",\"api.test\",\"pinned.test\"],\"allow_methods\":[\"GET\","
                + "\"POST\"],\"connect_ports\":[" + good.port() + "],\"allow_ranges\":[\"127.0.0.0/8\"],"
                + "\"tls\":\"intercept\",\"upstream_ca\":\"" + originCa + "\"";
        strict = fx.agent("h2-strict", "{" + common + ",\"dlp\":\"strict\"}");
    }

    @AfterAll
    static void stop() {
        fx.close();
        good.close();
    }

    @BeforeEach
    void settle() throws InterruptedException {
        fx.settleRecords();
    }

    static Curl.Result curl(int listener, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--http2", "--cacert", proxyCa.toString(), "-x",
                fx.proxyUrl(listener)));
        all.addAll(List.of(args));
        return Curl.run(tmp, all.toArray(String[]::new));
    }

    static String url(String host, String path) {
        return "https://" + host + ":" + good.port() + path;
    }

    /**
     * One curl run of {@code transfers} with {@code --parallel} (h2 multiplexing over one tunnel, at most 50 streams
     * at once); a line per transfer: status, HTTP version, URL.
     */
    static List<String> parallel(int listener, List<List<String>> transfers) throws Exception {
        return parallel(listener, transfers, 50);
    }

    static List<String> parallel(int listener, List<List<String>> transfers, int atOnce) throws Exception {
        Curl.requireCurl();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--noproxy", "", "--max-time", "20",
                "--parallel", "--parallel-max", String.valueOf(atOnce)));
        for (int i = 0; i < transfers.size(); i++) {
            if (i > 0) {
                cmd.add("--next");
            }
            cmd.addAll(List.of("--http2", "--cacert", proxyCa.toString(), "-x", fx.proxyUrl(listener), "-o",
                    "/dev/null", "-w", "%{http_code} %{http_version} %{url_effective}\\n"));
            cmd.addAll(transfers.get(i));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** The records of {@code agent} arriving within {@code millis} once the first came. */
    static List<DecisionRecord> recordsOf(String agent, int atLeast) throws InterruptedException {
        List<DecisionRecord> found = new ArrayList<>();
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            DecisionRecord r = fx.records.poll(50, TimeUnit.MILLISECONDS);
            if (r != null && r.agentId().equals(agent)) {
                found.add(r);
                if (found.size() >= atLeast) {
                    until = Math.min(until, System.nanoTime() + 500_000_000L);
                }
            }
        }
        return found;
    }

    @Test
    void anAllowedGetOverH2Is200AndCurlReportsHttpVersion2() throws Exception {
        int before = good.hits();
        Curl.Result r = curl(strict, url("tls.test", "/hello?x=1"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo("2");
        assertThat(r.body()).startsWith("GET /hello?x=1 host=tls.test:" + good.port());
        assertThat(good.hits()).isEqualTo(before + 1);
    }

    @Test
    void aClientOfferingOnlyHttp11KeepsTheHttp11Path() throws Exception {
        Curl.Result r = curl(strict, "--http1.1", url("tls.test", "/one-one"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo("1.1");
        assertThat(r.body()).startsWith("GET /one-one");
    }

    @Test
    void aMethodOutsideTheAclOverH2Is403WithOneDenyWhileAParallelAllowedStreamSucceeds() throws Exception {
        int before = good.hits();
        List<String> lines = parallel(strict, List.of(List.of(url("tls.test", "/allowed")),
                List.of("-X", "DELETE", url("tls.test", "/refused"))));
        assertThat(lines).containsExactlyInAnyOrder("200 2 " + url("tls.test", "/allowed"),
                "403 2 " + url("tls.test", "/refused"));
        assertThat(good.hits()).isEqualTo(before + 1);
        List<DecisionRecord> records = recordsOf("h2-strict", 3);
        assertThat(records).filteredOn(d -> d.method().equals("DELETE")).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo("DENY");
            assertThat(d.reason()).isEqualTo("method-not-allowed");
            assertThat(d.status()).isEqualTo(403);
        });
        assertThat(records).filteredOn(d -> d.method().equals("GET")).singleElement()
                .satisfies(d -> assertThat(d.outcome()).isEqualTo("ALLOW"));
        assertThat(records).as("both streams rode one tunnel").filteredOn(d -> d.method().equals("CONNECT"))
                .hasSize(1);
    }

    @Test
    void thirtyParallelGetsOverOneH2ConnectionShareAFewOriginConnections() throws Exception {
        int hits = good.hits();
        int connections = good.connections();
        List<List<String>> transfers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            transfers.add(List.of(url("tls.test", "/p" + i)));
        }
        List<String> lines = parallel(strict, transfers);
        assertThat(lines).hasSize(30).allSatisfy(l -> assertThat(l).startsWith("200 2 "));
        assertThat(good.hits()).isEqualTo(hits + 30);
        assertThat(good.connections() - connections).as("origin connections the 30 streams used").isPositive()
                .isLessThanOrEqualTo(10);
    }

    @Test
    void waveAfterWaveOfStreamsReusesTheOriginConnectionsOfTheFirstWave() throws Exception {
        // 120 streams, 10 at a time: connections come back in bursts before the next streams arrive; a pool that
        // closed the returns above a small idle cap dialed again every few requests.
        int connections = good.connections();
        List<List<String>> transfers = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            transfers.add(List.of(url("tls.test", "/w" + i)));
        }
        List<String> lines = parallel(strict, transfers, 10);
        assertThat(lines).hasSize(120).allSatisfy(l -> assertThat(l).startsWith("200 2 "));
        assertThat(good.connections() - connections).as("origin connections for 120 streams, 10 at a time")
                .isPositive().isLessThanOrEqualTo(12);
    }

    @Test
    void sequentialStreamsOfOneH2ConnectionReuseOneOriginConnection() throws Exception {
        int connections = good.connections();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            args.addAll(List.of(url("tls.test", "/s" + i), "-o", "/dev/null"));
        }
        Curl.Result r = curl(strict, args.toArray(String[]::new));
        assertThat(r.exit()).isZero();
        assertThat(good.connections() - connections).isEqualTo(1);
    }

    @Test
    void anAuthorityNamingAnotherHostIsRefused() throws Exception {
        int before = good.hits();
        // curl sends a Host header over h2 as :authority.
        Curl.Result r = curl(strict, "-H", "Host: pinned.test", url("tls.test", "/front"));
        assertThat(r.httpVersion()).isEqualTo("2");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("X-Egress-Denied")).isEqualTo("sni-mismatch");
        assertThat(good.hits()).isEqualTo(before);
    }

    @Test
    void noConversionHeaderReachesTheOriginOrARecordAndAGuestCannotForgeOne() throws Exception {
        int from = good.headers().size();
        assertThat(curl(strict, url("tls.test", "/clean")).status()).isEqualTo(200);
        assertThat(curl(strict, "--data-binary", "a=b", url("tls.test", "/clean-post")).status()).isEqualTo(200);
        for (var h : good.headers().subList(from, good.headers().size())) {
            assertThat(h.keySet()).noneMatch(k -> k.toLowerCase().startsWith("x-http2"));
        }
        int before = good.hits();
        Curl.Result forged = curl(strict, "-H", "x-http2-scheme: http", url("tls.test", "/forged"));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.header("X-Egress-Denied")).isEqualTo("bad-request");
        assertThat(good.hits()).isEqualTo(before);
        assertThat(recordsOf("h2-strict", 5)).allSatisfy(d -> assertThat(d.detail()).doesNotContain("x-http2-stream"));
    }
}
