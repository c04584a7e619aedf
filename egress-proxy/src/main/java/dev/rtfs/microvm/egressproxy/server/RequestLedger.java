package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.decision.Outcome;
import dev.rtfs.microvm.egresspolicy.decision.Reason;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.observe.DecisionSink;
import java.time.Instant;
import java.util.Optional;

/**
 * The bookkeeping of one request, from its head to its one {@link DecisionRecord}: what was asked, the bytes each
 * way, the reason an allowed request carries (redaction), and, in report mode, the first refusal that was only
 * reported. A connection starts a fresh ledger per request; {@link #record} writes at most once.
 */
final class RequestLedger {

    private String agentId;
    private final DecisionSink sink;

    private long startNanos;
    private String method = "-";
    private String host = "-";
    private int port;
    private Reason reported;
    private String reportedDetail = "";
    private Reason allowReason = Reason.ALLOWED;
    private String allowDetail = "";
    private long bytesIn;
    private long bytesOut;
    private boolean recorded;

    RequestLedger(String agentId, DecisionSink sink) {
        this.agentId = agentId;
        this.sink = sink;
    }

    /** The agent the request proved (a shared listener learns it from the head). */
    void agent(String agentId) {
        this.agentId = agentId;
    }

    /** The head arrived: the duration counts from now. */
    void start(String method) {
        this.startNanos = System.nanoTime();
        this.method = method;
    }

    /** A deadline passed before any head: the duration counts from now unless a head already started it. */
    void startIfNot() {
        startNanos = startNanos == 0 ? System.nanoTime() : startNanos;
    }

    void target(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The host as decided (normalized), replacing the spelling the guest sent. */
    void host(String host) {
        this.host = host;
    }

    void addBytesIn(long n) {
        bytesIn += n;
    }

    /** Adds response bytes and answers the total so far. */
    long addBytesOut(long n) {
        bytesOut += n;
        return bytesOut;
    }

    void bytes(long in, long out) {
        bytesIn = in;
        bytesOut = out;
    }

    /** The first reported reason is the one the record carries. */
    void noteReported(Reason reason, String detail) {
        if (reported == null) {
            reported = reason;
            reportedDetail = detail;
        }
    }

    void noteAllow(Reason reason, String detail) {
        allowReason = reason;
        allowDetail = detail;
    }

    /** REPORT when some refusal was only reported, ALLOW otherwise. */
    Outcome outcomeNow() {
        return reported != null ? Outcome.REPORT : Outcome.ALLOW;
    }

    Reason allowReasonNow() {
        return reported != null ? reported : allowReason;
    }

    String allowDetailNow() {
        return reported != null ? reportedDetail : allowDetail;
    }

    /** Writes the record unless one was already written for this request. */
    void record(Outcome outcome, Reason reason, int status, String detail, Optional<String> address,
            Optional<String> step) {
        if (recorded) {
            return;
        }
        recorded = true;
        long durationMs = startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1_000_000;
        sink.accept(new DecisionRecord(Instant.now(), agentId, step, method, host, port, address,
                outcome.name(), reason.code(), status, detail, bytesIn, bytesOut, durationMs));
    }
}
