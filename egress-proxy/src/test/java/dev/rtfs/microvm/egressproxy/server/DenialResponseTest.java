package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The answer a refused request gets. */
class DenialResponseTest {

    @Test
    void aDenialCarriesItsStatusReasonCodeAndACloseWithAOneLineBody() {
        FullHttpResponse r = DenialResponse.of(Reason.DOMAIN_NOT_ALLOWED, "evil.test is not allowed", null);
        try {
            assertThat(r.status().code()).isEqualTo(403);
            assertThat(r.headers().get("X-Egress-Denied")).isEqualTo("domain-not-allowed");
            assertThat(r.headers().get("X-Egress-Error")).isNull();
            assertThat(r.headers().get("Connection")).isEqualTo("close");
            assertThat(r.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("domain-not-allowed: evil.test is not allowed\n");
            assertThat(r.headers().getInt("Content-Length")).isEqualTo(r.content().readableBytes());
        } finally {
            r.release();
        }
    }

    @Test
    void anOriginsFaultIsMarkedAsAnErrorNotADenial() {
        FullHttpResponse r = DenialResponse.of(Reason.UPSTREAM_TIMEOUT, "no response", null);
        try {
            assertThat(r.status().code()).isEqualTo(504);
            assertThat(r.headers().get("X-Egress-Error")).isEqualTo("upstream-timeout");
            assertThat(r.headers().get("X-Egress-Denied")).isNull();
        } finally {
            r.release();
        }
    }

    @Test
    void aRateLimitRefusedBeforeAnyRulesWereFoundHasNoRetryAfter() {
        FullHttpResponse r = DenialResponse.of(Reason.RATE_LIMITED, "token bucket empty", null);
        try {
            assertThat(r.status().code()).isEqualTo(429);
            assertThat(r.headers().contains("Retry-After")).isFalse();
        } finally {
            r.release();
        }
    }
}
