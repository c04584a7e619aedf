package dev.rtfs.microvm.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests the demo's loopback origins answered ("https POST /collect"), so the demo can show what got past the
 * egress proxy. Bounded: the first {@link #KEPT} are kept, the rest only counted.
 */
final class DemoOriginLog {

    static final int KEPT = 32;

    private final List<String> kept = new ArrayList<>();
    private int count;

    synchronized void add(String request) {
        count++;
        if (kept.size() < KEPT) kept.add(request);
    }

    /** "3 requests: https GET /index.json, http GET /moved, …" (or "0 requests"). */
    synchronized String summary() {
        String head = count + (count == 1 ? " request" : " requests");
        if (count == 0) return head;
        return head + ": " + String.join(", ", kept) + (count > kept.size() ? ", …" : "");
    }
}
