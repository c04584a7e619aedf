package dev.rtfs.microvm.egressproxy.server;

/**
 * How long a listener stops accepting after {@code accept(2)} fails (EMFILE, ENFILE, ENOBUFS): the pending
 * connection stays in the kernel's queue, so retrying at once fails again and spins an event loop at 100% CPU.
 * The pause doubles from {@link #FIRST_MILLIS} to {@link #MAX_MILLIS} while failures continue and starts over
 * after a successful accept. Not thread-safe: one per listener, used on its event loop.
 */
final class AcceptBackoff {

    public static final long FIRST_MILLIS = 50;
    public static final long MAX_MILLIS = 1000;

    private long next = FIRST_MILLIS;
    private long failures;

    /** A failed accept: the pause before the next attempt. */
    public long onFailure() {
        failures++;
        long pause = next;
        next = Math.min(MAX_MILLIS, next * 2);
        return pause;
    }

    /** A successful accept: the next failure starts over with a short pause. */
    public void onSuccess() {
        next = FIRST_MILLIS;
        failures = 0;
    }

    /** Failures since the last successful accept. */
    public long failures() {
        return failures;
    }
}
