package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Seeded random request bytes (replay with -Dfuzz.seed=N): every connection ends in a 4xx/5xx answer or a close,
 * never a hang, and the proxy keeps serving both the fuzzed agent and another one.
 */
class MalformedInputFuzzTest {

    private static final String[] PIECES = {"GET ", "POST ", "CONNECT ", "http://", "origin.test", ":", "/", " HTTP/1.1",
        "\r\n", "Host: x", "Content-Length: ", "Transfer-Encoding: chunked", "5", "-1", "0\r\n\r\n", "\n", " ", "\t",
        "\0", "@", "#", "[::1]", "127.0.0.1", "\r\n\r\n", "\u00ff", "A".repeat(300)};

    @Test
    void randomRequestsNeverHangOrKillTheProxy() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        LoggerFactory.getLogger(MalformedInputFuzzTest.class).info("proxy request fuzz seed {}", seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofMillis(500));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("origin.test", "127.0.0.1");
            String rules = "{\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                    + "\"allow_ranges\":[\"127.0.0.0/8\"]}";
            int fuzzed = fx.agent("fuzzed", rules);
            int other = fx.agent("other", rules);
            String good = "GET http://origin.test:" + origin.port() + "/ok HTTP/1.1\r\nHost: origin.test\r\nConnection: close\r\n\r\n";
            for (int i = 0; i < 150; i++) {
                byte[] req;
                if (rnd.nextInt(3) == 0) {
                    req = new byte[1 + rnd.nextInt(2000)];
                    rnd.nextBytes(req);
                } else {
                    StringBuilder sb = new StringBuilder();
                    int n = 1 + rnd.nextInt(25);
                    for (int k = 0; k < n; k++) {
                        sb.append(PIECES[rnd.nextInt(PIECES.length)]);
                    }
                    req = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                }
                boolean halfClose = rnd.nextBoolean();
                RawClient.Answer a = RawClient.exchange(fuzzed, req, halfClose, 3000);
                assertThat(a.closed() || a.status() >= 400 || a.text().startsWith("HTTP/1.1 200"))
                        .as("seed %d case %d: %s", seed, i, a.text()).isTrue();
            }
            RawClient.Answer ok = RawClient.exchange(other, good);
            assertThat(ok.status()).as("other agent unaffected").isEqualTo(200);
            RawClient.Answer again = RawClient.exchange(fuzzed, good);
            assertThat(again.status()).as("fuzzed agent still serving").isEqualTo(200);
        }
    }
}
