package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.decision.PolicyStore;
import dev.rtfs.microvm.egressproxy.observe.DecisionSink;
import dev.rtfs.microvm.egressproxy.observe.ProxyMetrics;
import dev.rtfs.microvm.egressproxy.tls.InterceptionCa;
import dev.rtfs.microvm.egressproxy.tls.UpstreamTls;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/** What every connection handler of one proxy shares (the interception CA and upstream TLS contexts included). */
public record ProxyContext(
        ProxyConfig config,
        PolicyStore store,
        AtomicReference<EnforcementMode> mode,
        Connector connector,
        Executor resolverExecutor,
        DecisionSink decisions,
        ProxyMetrics metrics,
        BodyBudget bodyBudget,
        InterceptionCa interceptionCa,
        UpstreamTls upstreamTls) {}
