package dev.rtfs.microvm.egressproxy.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Request bodies the proxy holds at once, over all agents. Each body is capped per request, but a guest can open
 * many connections; this bound keeps one agent from exhausting the heap the other agents' traffic needs.
 */
public final class BodyBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes}; false (nothing reserved) when that would pass the limit. */
    boolean tryReserve(long bytes) {
        long after = held.addAndGet(bytes);
        if (after > limit) {
            held.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
