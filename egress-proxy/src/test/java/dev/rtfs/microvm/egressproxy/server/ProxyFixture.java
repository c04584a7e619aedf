package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.secret.SecretResolver;
import dev.rtfs.microvm.egressproxy.secrets.HostSecretResolver;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOnlyConnector;
import dev.rtfs.microvm.egressproxy.testing.TestResolver;
import dev.rtfs.microvm.egressproxy.tls.InterceptionCa;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A started proxy wired to a test resolver, a loopback-only connector and a hand-driven clock. */
final class ProxyFixture implements AutoCloseable {

    final TestResolver resolver = new TestResolver();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final LoopbackOnlyConnector connector;
    final EgressProxy proxy;
    final java.util.concurrent.LinkedBlockingQueue<dev.rtfs.microvm.egressproxy.observe.DecisionRecord> records =
            new java.util.concurrent.LinkedBlockingQueue<>();

    ProxyFixture(EnforcementMode mode, Duration headerTimeout) {
        this(mode, headerTimeout, Duration.ofSeconds(30));
    }

    ProxyFixture(EnforcementMode mode, Duration headerTimeout, Duration idleTimeout) {
        this(mode, headerTimeout, idleTimeout, ProxyConfig.defaults().maxBufferedRequestBytes());
    }

    ProxyFixture(EnforcementMode mode, Duration headerTimeout, Duration idleTimeout, long maxBufferedRequestBytes) {
        this(mode, headerTimeout, idleTimeout, maxBufferedRequestBytes, new HostSecretResolver(name -> null));
    }

    /** {@code secrets}: where injected headers' secrets come from (never the test JVM's environment). */
    ProxyFixture(EnforcementMode mode, Duration headerTimeout, SecretResolver secrets) {
        this(mode, headerTimeout, Duration.ofSeconds(30), ProxyConfig.defaults().maxBufferedRequestBytes(), secrets);
    }

    ProxyFixture(EnforcementMode mode, Duration headerTimeout, Duration idleTimeout, long maxBufferedRequestBytes,
            SecretResolver secrets) {
        this(mode, headerTimeout, idleTimeout, maxBufferedRequestBytes, secrets, InterceptionCa.create());
    }

    /** {@code ca}: the interception CA the proxy is given ({@code --ca-cert/--ca-key}). */
    ProxyFixture(EnforcementMode mode, Duration headerTimeout, InterceptionCa ca) {
        this(mode, headerTimeout, Duration.ofSeconds(30), ProxyConfig.defaults().maxBufferedRequestBytes(),
                new HostSecretResolver(name -> null), ca);
    }

    ProxyFixture(EnforcementMode mode, Duration headerTimeout, Duration idleTimeout, long maxBufferedRequestBytes,
            SecretResolver secrets, InterceptionCa ca) {
        Transports t = Transports.detect();
        connector = new LoopbackOnlyConnector(new NettyConnector(t, Duration.ofSeconds(2)));
        proxy = new EgressProxy(ProxyConfig.defaults()
                .withMode(mode)
                .withResolver(resolver)
                .withConnector(connector)
                .withTimeouts(Duration.ofSeconds(2), headerTimeout, idleTimeout)
                .withNanoClock(clock::get)
                .withIoThreads(2)
                .withMaxBufferedRequestBytes(maxBufferedRequestBytes)
                .withSink(records::add), secrets, ca);
        proxy.start();
    }

    /** Puts an agent from its JSON rules (agent_id is added) and returns the listener port. */
    int agent(String id, String rulesJson) {
        InetSocketAddress a = proxy.putAgent(AclCodec.parseAgent(rulesJson, id));
        return a.getPort();
    }

    /** Waits (bounded) for the next decision record matching {@code test}. */
    dev.rtfs.microvm.egressproxy.observe.DecisionRecord awaitRecord(
            java.util.function.Predicate<dev.rtfs.microvm.egressproxy.observe.DecisionRecord> test) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            var r = records.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (r != null && test.test(r)) {
                return r;
            }
        }
        throw new AssertionError("no matching decision record within 5 s");
    }

    /**
     * Drops the records of connections an earlier test left closing, once none has arrived for 300 ms (at most 5 s):
     * a test that counts records then sees only its own.
     */
    void settleRecords() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && records.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
            // an earlier connection's record: keep draining until the queue stays quiet
        }
        records.clear();
    }

    String proxyUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        proxy.close();
    }
}
