package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** How an origin's response head is refused, skipped or relayed. */
class ResponseHeadTest {

    private static HttpResponse ok() {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);
    }

    @Test
    void aDeclaredLengthOverTheResponseCapIsRefused() {
        HttpResponse resp = ok();
        resp.headers().set("Content-Length", 101);
        assertThat(ResponseHead.plan(resp, HttpMethod.GET, 100, true)).isEqualTo(new ResponseHead.Refuse(
                new Refusal(Reason.RESPONSE_TOO_LARGE, "Content-Length 101 > 100")));
    }

    @Test
    void informationalResponsesAreNotRelayed() {
        HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);
        assertThat(ResponseHead.plan(resp, HttpMethod.GET, 100, true)).isInstanceOf(ResponseHead.Skip.class);
    }

    @Test
    void anUnframedBodyEndsTheClientConnection() {
        ResponseHead plan = ResponseHead.plan(ok(), HttpMethod.GET, 100, true);
        assertThat(plan).isInstanceOfSatisfying(ResponseHead.Relay.class, r -> {
            assertThat(r.clientKeepAlive()).isFalse();
            assertThat(r.head().headers().get("Connection")).isEqualTo("close");
        });
    }

    @Test
    void aFramedResponseKeepsTheClientAliveAndLosesItsHopByHopHeaders() {
        HttpResponse resp = ok();
        resp.headers().set("Content-Length", 5).set("Connection", "X-Hop").set("X-Hop", "1").set("Keep-Alive", "t=5");
        ResponseHead plan = ResponseHead.plan(resp, HttpMethod.GET, 100, true);
        assertThat(plan).isInstanceOfSatisfying(ResponseHead.Relay.class, r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.clientKeepAlive()).isTrue();
            assertThat(r.upstreamKeepAlive()).isFalse(); // HTTP/1.0 without keep-alive
            assertThat(r.head().protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
            assertThat(r.head().headers().get("Connection")).isEqualTo("keep-alive");
            assertThat(r.head().headers().contains("X-Hop")).isFalse();
            assertThat(r.head().headers().contains("Keep-Alive")).isFalse();
        });
    }

    @Test
    void aFullResponseIsRelayedAsAHeadWithoutItsContent() {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        ResponseHead plan = ResponseHead.plan(resp, HttpMethod.GET, 100, true);
        assertThat(plan).isInstanceOfSatisfying(ResponseHead.Relay.class, r -> {
            assertThat(r.head()).isNotInstanceOf(HttpContent.class);
            assertThat(r.clientKeepAlive()).isTrue();
        });
    }
}
