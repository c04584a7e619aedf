package dev.rtfs.microvm.egress.server;

import dev.rtfs.microvm.egress.acl.EnforcementMode;
import dev.rtfs.microvm.egress.decision.PolicyStore;
import dev.rtfs.microvm.egress.observe.DecisionSink;
import dev.rtfs.microvm.egress.observe.ProxyMetrics;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/** What every connection handler of one proxy shares. */
public record ProxyContext(
        ProxyConfig config,
        PolicyStore store,
        AtomicReference<EnforcementMode> mode,
        Connector connector,
        Executor resolverExecutor,
        DecisionSink decisions,
        ProxyMetrics metrics,
        BodyBudget bodyBudget) {}
