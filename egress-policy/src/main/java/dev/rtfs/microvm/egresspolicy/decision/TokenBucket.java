package dev.rtfs.microvm.egresspolicy.decision;

import java.util.function.LongSupplier;

/** A token bucket refilled continuously at {@code perSecond}, holding at most {@code burst} tokens. Thread-safe. */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, long burst, LongSupplier nanoClock) {
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Seconds until one token is available (for {@code Retry-After}), at least 1. */
    public synchronized long secondsUntilToken() {
        double missing = 1 - tokens;
        return Math.max(1, (long) Math.ceil(missing / (perNano * 1e9)));
    }
}
