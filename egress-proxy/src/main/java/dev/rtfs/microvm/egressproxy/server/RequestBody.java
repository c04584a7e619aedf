package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;

/**
 * A request body held for inspection before it is forwarded, under two bounds: the agent's per-request cap and the
 * proxy-wide {@link BodyBudget}. The bytes it holds stay reserved against the budget until the body is taken for
 * the upstream write or released.
 */
final class RequestBody {

    private final ByteBufAllocator alloc;
    private final BodyBudget budget;
    private CompositeByteBuf held;
    private long size;
    private long reserved;

    RequestBody(ByteBufAllocator alloc, BodyBudget budget) {
        this.alloc = alloc;
        this.budget = budget;
        this.held = alloc.compositeBuffer(64);
    }

    /** Adds a part (retaining it; the caller keeps its own reference); the refusal when a bound is passed. */
    Optional<Refusal> append(ByteBuf content, long maxBytes) {
        int n = content.readableBytes();
        size += n;
        if (size > maxBytes) {
            return Optional.of(new Refusal(Reason.REQUEST_TOO_LARGE, "body exceeds " + maxBytes + " bytes"));
        }
        if (n > 0 && !budget.tryReserve(n)) {
            return Optional.of(new Refusal(Reason.PROXY_BUSY, "the proxy holds " + budget.limit()
                    + " bytes of request bodies; retry later"));
        }
        reserved += n;
        if (n > 0) {
            held.addComponent(true, content.retain());
        }
        return Optional.empty();
    }

    /** Bytes received so far, counted before the bounds applied. */
    long size() {
        return size;
    }

    /** A copy of the bytes held, for the DLP scan. */
    byte[] bytes() {
        return ByteBufUtil.getBytes(held);
    }

    /** Replaces the content (a redacted body); the reservation stays as it was. */
    void replace(byte[] content) {
        held.release();
        held = alloc.compositeBuffer(1);
        held.addComponent(true, Unpooled.wrappedBuffer(content));
    }

    /** Hands the content over (the caller owns it) and ends the reservation. */
    ByteBuf take() {
        ByteBuf out = held;
        held = null;
        releaseReservation();
        return out;
    }

    /** Frees what is held and ends the reservation; safe to call more than once. */
    void release() {
        releaseReservation();
        if (held != null) {
            held.release();
            held = null;
        }
    }

    private void releaseReservation() {
        budget.release(reserved);
        reserved = 0;
    }
}
