package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.net.Resolver;
import dev.rtfs.microvm.egresspolicy.net.SystemResolver;
import dev.rtfs.microvm.egressproxy.observe.DecisionSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How an {@link dev.rtfs.microvm.egressproxy.EgressProxy} runs. {@code connector} empty means the real Netty
 * connector; the resolver is consulted once per request.
 */
public record ProxyConfig(
        EnforcementMode mode,
        Resolver resolver,
        Optional<Connector> connector,
        Duration connectTimeout,
        Duration headerTimeout,
        Duration idleTimeout,
        int maxInitialLineLength,
        int maxHeaderSize,
        int ioThreads,
        int recentDecisions,
        List<DecisionSink> sinks,
        LongSupplier nanoClock,
        long maxBufferedRequestBytes) {

    public ProxyConfig {
        sinks = List.copyOf(sinks);
    }

    public static ProxyConfig defaults() {
        return new ProxyConfig(EnforcementMode.ENFORCE, new SystemResolver(), Optional.empty(), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(300), 8192, 16384,
                defaultIoThreads(), 1000, List.of(), System::nanoTime, Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Half the cores, and at least two: the proxy shares its host with the VMs it serves, so it leaves them half; but
     * one event loop serializes every connection behind the one being served and stalls them all whenever the
     * scheduler takes its core away. On the 2-core reference machine two loops measured +26% intercepted-HTTPS
     * requests/s (lower p99) and +8% plain-HTTP requests/s over one, in the same run (bench/scripts/proxy-bench.sh).
     */
    static int defaultIoThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    }

    public ProxyConfig withMode(EnforcementMode m) {
        return new ProxyConfig(m, resolver, connector, connectTimeout, headerTimeout, idleTimeout, maxInitialLineLength,
                maxHeaderSize, ioThreads, recentDecisions, sinks, nanoClock, maxBufferedRequestBytes);
    }

    public ProxyConfig withResolver(Resolver r) {
        return new ProxyConfig(mode, r, connector, connectTimeout, headerTimeout, idleTimeout, maxInitialLineLength,
                maxHeaderSize, ioThreads, recentDecisions, sinks, nanoClock, maxBufferedRequestBytes);
    }

    public ProxyConfig withConnector(Connector c) {
        return new ProxyConfig(mode, resolver, Optional.of(c), connectTimeout, headerTimeout, idleTimeout,
                maxInitialLineLength, maxHeaderSize, ioThreads, recentDecisions, sinks, nanoClock, maxBufferedRequestBytes);
    }

    public ProxyConfig withTimeouts(Duration connect, Duration header, Duration idle) {
        return new ProxyConfig(mode, resolver, connector, connect, header, idle, maxInitialLineLength, maxHeaderSize,
                ioThreads, recentDecisions, sinks, nanoClock, maxBufferedRequestBytes);
    }

    public ProxyConfig withSink(DecisionSink sink) {
        List<DecisionSink> all = new java.util.ArrayList<>(sinks);
        all.add(sink);
        return new ProxyConfig(mode, resolver, connector, connectTimeout, headerTimeout, idleTimeout,
                maxInitialLineLength, maxHeaderSize, ioThreads, recentDecisions, all, nanoClock, maxBufferedRequestBytes);
    }

    public ProxyConfig withNanoClock(LongSupplier clock) {
        return new ProxyConfig(mode, resolver, connector, connectTimeout, headerTimeout, idleTimeout,
                maxInitialLineLength, maxHeaderSize, ioThreads, recentDecisions, sinks, clock, maxBufferedRequestBytes);
    }

    /** Request bodies held at once over all agents (default: a quarter of the heap); past it new bodies get 503. */
    public ProxyConfig withMaxBufferedRequestBytes(long bytes) {
        return new ProxyConfig(mode, resolver, connector, connectTimeout, headerTimeout, idleTimeout,
                maxInitialLineLength, maxHeaderSize, ioThreads, recentDecisions, sinks, nanoClock, bytes);
    }

    public ProxyConfig withIoThreads(int threads) {
        return new ProxyConfig(mode, resolver, connector, connectTimeout, headerTimeout, idleTimeout,
                maxInitialLineLength, maxHeaderSize, threads, recentDecisions, sinks, nanoClock, maxBufferedRequestBytes);
    }
}
