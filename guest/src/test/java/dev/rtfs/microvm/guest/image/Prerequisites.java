package dev.rtfs.microvm.guest.image;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/** What a test needs from the host (a kernel, busybox, QEMU): skipped locally when missing, failed under CI=true. */
public final class Prerequisites {

    private Prerequisites() {}

    /** Skip locally, fail under CI=true. */
    public static void requireThat(boolean ok, String message) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(message + " [CI=true: prerequisites must be present]");
        Assumptions.abort(message + " — skipped (set CI=true to make this a failure)");
    }
}
