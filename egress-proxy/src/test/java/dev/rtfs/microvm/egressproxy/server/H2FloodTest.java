package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile h2 guest inside an intercepted tunnel ({@link RawH2Client}): floods and malformed frames end in a
 * refused stream, a GOAWAY or a close, the origin sees nothing of them, and another agent is served meanwhile.
 */
class H2FloodTest {

    static final int REFUSED_STREAM = 0x7;
    static final int ENHANCE_YOUR_CALM = 0xb;

    static ProxyFixture fx;
    static LoopbackOrigin origin;
    static Path proxyCa;
    static String caPem;
    static int attacker;
    static int bystander;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Curl.requireCurl();
        TestCa ca = new TestCa();
        Path originCa = ca.writeCaPem(tmp);
        origin = LoopbackOrigin.https(ca.serverLeaf("tls.test").context());
        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
        fx.resolver.map("tls.test", "127.0.0.1");
        caPem = fx.proxy.interceptionCaPem();
        proxyCa = tmp.resolve("proxy-ca.pem");
        Files.writeString(proxyCa, caPem);
        String rules = "{\"allow_domains\":[\"tls.test\"],\"allow_methods\":[\"GET\",\"POST\"],\"connect_ports\":["
                + origin.port() + "],\"allow_ranges\":[\"127.0.0.0/8\"],\"tls\":\"intercept\",\"upstream_ca\":\""
                + originCa + "\",\"max_connections\":64,\"rate\":{\"per_second\":1000,\"burst\":2000}}";
        attacker = fx.agent("h2-attacker", rules);
        bystander = fx.agent("h2-bystander", rules);
    }

    @AfterAll
    static void stop() {
        fx.close();
        origin.close();
    }

    static Http2Headers get(String path) {
        return new DefaultHttp2Headers().method("GET").scheme("https").authority("tls.test:" + origin.port())
                .path(path);
    }

    static RawH2Client open() throws Exception {
        return RawH2Client.open(attacker, "tls.test", origin.port(), caPem);
    }

    static void bystanderIsServed() throws Exception {
        Curl.Result r = Curl.run(tmp, "--http2", "--cacert", proxyCa.toString(), "-x", fx.proxyUrl(bystander),
                "https://tls.test:" + origin.port() + "/bystander");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo("2");
    }

    @Test
    void aRapidResetFloodGetsAGoaway() throws Exception {
        try (RawH2Client c = open()) {
            // More RST_STREAMs than the window allows (200), in small flushed batches so that the proxy has read
            // every byte when it closes (unread bytes would turn its close into a TCP reset overtaking the GOAWAY).
            try {
                for (int i = 0; i < 250; i++) {
                    int id = 1 + 2 * i;
                    c.headers(id, get("/flood"), false);
                    c.rst(id, 0x8); // CANCEL
                    if (i % 10 == 9) {
                        c.flush();
                        Thread.sleep(10);
                    }
                }
                c.flush();
            } catch (java.io.IOException closed) {
                // the proxy closed after its GOAWAY while the flood was still being written
            }
            List<RawH2Client.Frame> frames = c.readUntilGoawayOrClose(5000);
            assertThat(frames).as(c.ended).anySatisfy(f -> {
                assertThat(f.type()).isEqualTo(RawH2Client.GOAWAY);
                assertThat(f.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            });
        }
        bystanderIsServed();
    }

    @Test
    void aStreamPastOneHundredConcurrentIsRefused() throws Exception {
        int hits = origin.hits();
        try (RawH2Client c = open()) {
            for (int i = 0; i < 110; i++) {
                c.headers(1 + 2 * i, new DefaultHttp2Headers().method("POST").scheme("https")
                        .authority("tls.test").path("/open" + i), false); // bodies never come: streams stay open
            }
            c.flush();
            List<RawH2Client.Frame> frames = c.readUntilGoawayOrClose(1000);
            assertThat(frames).filteredOn(f -> f.type() == RawH2Client.RST_STREAM && f.errorCode() == REFUSED_STREAM)
                    .isNotEmpty().allSatisfy(f -> assertThat(f.streamId()).isGreaterThan(199));
            bystanderIsServed();
        }
        assertThat(origin.hits()).as("only the bystander's request reached the origin").isEqualTo(hits + 1);
    }

    @Test
    void anOversizedHeaderListIsRefusedAndNeverForwarded() throws Exception {
        int hits = origin.hits();
        Random random = new Random(7);
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append((char) ('a' + random.nextInt(26)));
        }
        try (RawH2Client c = open()) {
            c.headers(1, get("/big").add("x-big", big.toString()), true);
            c.flush();
            List<RawH2Client.Frame> frames = c.readUntilGoawayOrClose(2000);
            assertThat(frames).as("a refusal of stream 1 or of the connection").anySatisfy(f -> assertThat(
                    f.type() == RawH2Client.GOAWAY || f.type() == RawH2Client.RST_STREAM
                            || (f.type() == RawH2Client.HEADERS && f.streamId() == 1)).isTrue());
            assertThat(frames).noneSatisfy(f -> assertThat(f.type()).isEqualTo(RawH2Client.DATA));
        }
        assertThat(origin.hits()).isEqualTo(hits);
        bystanderIsServed();
    }

    @Test
    void seededGarbageFramesEndTheConnectionAndNeverReachTheOrigin() throws Exception {
        long seed = System.nanoTime();
        System.out.println("H2FloodTest garbage seed " + seed);
        Random random = new Random(seed);
        int hits = origin.hits();
        for (int round = 0; round < 5; round++) {
            try (RawH2Client c = open()) {
                byte[] junk = new byte[64 + random.nextInt(512)];
                random.nextBytes(junk);
                junk[3] = (byte) (random.nextInt(10)); // a frame type the parser must judge
                c.raw(junk);
                c.flush();
                c.readUntilGoawayOrClose(3000);
                assertThat(c.closedWithin(3000)).as("seed " + seed + " round " + round).isTrue();
            } catch (java.io.IOException closedUnderUs) {
                // the proxy already closed: what this test wants
            }
        }
        assertThat(origin.hits()).as("seed " + seed).isEqualTo(hits);
        bystanderIsServed();
    }

    @Test
    void aConnectionSpecificHeaderOrAForeignAuthorityNeverReachesTheOrigin() throws Exception {
        int hits = origin.hits();
        try (RawH2Client c = open()) {
            c.headers(1, get("/conn").add("connection", "close"), true);
            c.headers(3, get("/te").add("te", "gzip"), true);
            c.headers(5, new DefaultHttp2Headers().method("GET").scheme("https").authority("evil.example")
                    .path("/front"), true);
            c.headers(7, new DefaultHttp2Headers().method("CONNECT").authority("evil.example:443"), true);
            c.headers(9, get("/ok"), true);
            c.flush();
            List<RawH2Client.Frame> frames = c.readUntilGoawayOrClose(2000);
            assertThat(frames).as("the good stream on the same connection is answered")
                    .anySatisfy(f -> assertThat(f.type() == RawH2Client.HEADERS && f.streamId() == 9).isTrue());
        }
        assertThat(origin.hits()).isEqualTo(hits + 1);
        assertThat(origin.hosts().get(origin.hosts().size() - 1)).startsWith("tls.test");
    }
}
