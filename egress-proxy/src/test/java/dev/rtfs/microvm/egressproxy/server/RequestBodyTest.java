package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A held request body under the per-request cap and the proxy-wide budget. */
class RequestBodyTest {

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void aBodyPastThePerRequestCapIsRefused() {
        BodyBudget budget = new BodyBudget(1000);
        RequestBody body = new RequestBody(ByteBufAllocator.DEFAULT, budget);
        ByteBuf a = bytes("12345");
        ByteBuf b = bytes("6");
        assertThat(body.append(a, 5)).isEmpty();
        assertThat(body.append(b, 5)).contains(new Refusal(Reason.REQUEST_TOO_LARGE, "body exceeds 5 bytes"));
        assertThat(body.size()).isEqualTo(6);
        body.release();
        a.release();
        b.release();
        assertThat(budget.held()).isZero();
    }

    @Test
    void aFullBudgetRefusesWithProxyBusyAndReservesNothing() {
        BodyBudget budget = new BodyBudget(4);
        RequestBody body = new RequestBody(ByteBufAllocator.DEFAULT, budget);
        ByteBuf a = bytes("12345");
        assertThat(body.append(a, 100)).contains(new Refusal(Reason.PROXY_BUSY,
                "the proxy holds 4 bytes of request bodies; retry later"));
        assertThat(budget.held()).isZero();
        body.release();
        a.release();
    }

    @Test
    void takingTheBodyEndsItsReservationAndHandsOverTheBytes() {
        BodyBudget budget = new BodyBudget(100);
        RequestBody body = new RequestBody(ByteBufAllocator.DEFAULT, budget);
        ByteBuf a = bytes("hello");
        body.append(a, 100);
        a.release();
        assertThat(budget.held()).isEqualTo(5);
        ByteBuf out = body.take();
        assertThat(budget.held()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        out.release();
        body.release(); // nothing left: a no-op
        assertThat(budget.held()).isZero();
    }

    @Test
    void aRedactedBodyReplacesTheBytesHeld() {
        RequestBody body = new RequestBody(ByteBufAllocator.DEFAULT, new BodyBudget(100));
        ByteBuf a = bytes("secret");
        body.append(a, 100);
        a.release();
        body.replace("[REDACTED]".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("[REDACTED]");
        body.release();
    }
}
