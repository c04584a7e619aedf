package dev.rtfs.microvm.egressproxy.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Prometheus-facing meters: requests by decision and reason, active tunnels, bytes, latency histogram. */
public final class ProxyMetrics implements DecisionSink {

    private final MeterRegistry registry;
    private final AtomicInteger activeTunnels = new AtomicInteger();
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> requests = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> durations = new java.util.concurrent.ConcurrentHashMap<>();
    private final DistributionSummary responseBytes;
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> authFailures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter aclReloadFailures;

    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("egress_active_tunnels", activeTunnels, AtomicInteger::get)
                .description("open CONNECT tunnels").register(registry);
        bytesIn = Counter.builder("egress_bytes").tag("direction", "upstream").register(registry);
        bytesOut = Counter.builder("egress_bytes").tag("direction", "downstream").register(registry);
        responseBytes = DistributionSummary.builder("egress_response_bytes").register(registry);
        aclReloadFailures = Counter.builder("egress_acl_reload_failures")
                .description("changed ACL directories refused (the ACLs in use stayed)").register(registry);
    }

    /** A request at the shared listener proved no agent; {@code cause} is an AuthFailure code. */
    public void authFailed(String cause) {
        authFailures.computeIfAbsent(cause, c -> Counter.builder("egress_proxy_auth_failures")
                .description("requests refused 407 at the shared listener, by cause").tag("cause", c)
                .register(registry)).increment();
    }

    /** A changed ACL directory was refused; the ACLs in use stay. */
    public void aclReloadFailed() {
        aclReloadFailures.increment();
    }

    public void tunnelOpened() {
        activeTunnels.incrementAndGet();
    }

    public void tunnelClosed() {
        activeTunnels.decrementAndGet();
    }

    public int activeTunnels() {
        return activeTunnels.get();
    }

    @Override
    public void accept(DecisionRecord r) {
        // Meters are looked up once per (decision, reason), not rebuilt per request.
        requests.computeIfAbsent(r.outcome() + "|" + r.reason(), k -> Counter.builder("egress_requests")
                .tag("decision", r.outcome()).tag("reason", r.reason()).register(registry)).increment();
        durations.computeIfAbsent(r.outcome(), k -> Timer.builder("egress_request_duration").tag("decision", k)
                .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(5)).register(registry))
                .record(Duration.ofMillis(r.durationMillis()));
        bytesIn.increment(r.bytesIn());
        bytesOut.increment(r.bytesOut());
        responseBytes.record(r.bytesOut());
    }
}
