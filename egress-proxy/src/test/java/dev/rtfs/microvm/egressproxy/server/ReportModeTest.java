package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report mode forwards policy refusals and records them as REPORT; protocol faults are still refused. */
class ReportModeTest {

    @TempDir
    Path tmp;

    @Test
    void reportModeLetsPolicyDenialsThroughAndSaysSo() throws Exception {
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.REPORT, Duration.ofSeconds(2));
                LoopbackOrigin origin = LoopbackOrigin.http()) {
            fx.resolver.map("listed.test", "127.0.0.1").map("unlisted.test", "127.0.0.1");
            int port = fx.agent("r", "{\"allow_domains\":[\"listed.test\"],\"allow_ranges\":[\"127.0.0.0/8\"]}");
            Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(port), "http://unlisted.test:" + origin.port() + "/rep");
            assertThat(r.status()).isEqualTo(200);
            DecisionRecord d = fx.awaitRecord(x -> x.host().equals("unlisted.test"));
            assertThat(d.outcome()).isEqualTo("REPORT");
            assertThat(d.reason()).isEqualTo("domain-not-allowed");
            assertThat(origin.hits()).isEqualTo(1);

            Curl.Result strictDlp = Curl.run(tmp, "-x", fx.proxyUrl(port), "--data-binary", "k=AKIAIOSFODNN7EXAMPLE",
                    "http://listed.test:" + origin.port() + "/p");
            assertThat(strictDlp.status()).isEqualTo(200);
            assertThat(fx.awaitRecord(x -> x.method().equals("POST")).reason()).isIn("dlp", "method-not-allowed");

            assertThat(RawClient.exchange(port, "GET http://a@b/ HTTP/1.1\r\nHost: b\r\n\r\n").status()).isEqualTo(403);
            assertThat(RawClient.exchange(port, "GARBAGE\r\n\r\n").status()).isEqualTo(400);

            fx.proxy.setMode(EnforcementMode.ENFORCE);
            assertThat(Curl.run(tmp, "-x", fx.proxyUrl(port), "http://unlisted.test:" + origin.port() + "/rep").status())
                    .isEqualTo(403);
        }
    }
}
