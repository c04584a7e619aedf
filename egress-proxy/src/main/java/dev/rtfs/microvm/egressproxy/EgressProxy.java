package dev.rtfs.microvm.egressproxy;

import dev.rtfs.microvm.egresspolicy.acl.AclFile;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egresspolicy.decision.PolicyStore;
import dev.rtfs.microvm.egresspolicy.net.StaticOverrideResolver;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokenIdentity;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokens;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.observe.DecisionSink;
import dev.rtfs.microvm.egressproxy.observe.ProxyMetrics;
import dev.rtfs.microvm.egressproxy.observe.RecentDecisions;
import dev.rtfs.microvm.egressproxy.server.AcceptBackoffHandler;
import dev.rtfs.microvm.egressproxy.server.AgentChannelInitializer;
import dev.rtfs.microvm.egressproxy.server.AgentConnections;
import dev.rtfs.microvm.egressproxy.server.BodyBudget;
import dev.rtfs.microvm.egressproxy.server.DecisionLog;
import dev.rtfs.microvm.egressproxy.server.NettyConnector;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import dev.rtfs.microvm.egressproxy.server.ProxyContext;
import dev.rtfs.microvm.egressproxy.server.Transports;
import dev.rtfs.microvm.egresspolicy.secret.HeldSecrets;
import dev.rtfs.microvm.egresspolicy.secret.SecretResolver;
import dev.rtfs.microvm.egresspolicy.secret.SecretUnavailableException;
import dev.rtfs.microvm.egressproxy.secrets.HostSecretResolver;
import dev.rtfs.microvm.egressproxy.tls.InterceptionCa;
import dev.rtfs.microvm.egressproxy.tls.UpstreamTls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress proxy (egress-proxy/README.md), in-process API. One loopback listener per agent (the listener is the
 * identity), or one shared listener ({@link #listenShared}) where each request proves its agent with a ServiceAccount
 * token;
 * rules are swapped atomically by {@link #putAgent}, {@link #setStep}, {@link #clearStep} and {@link #endPlan}
 * without touching open connections. Thread-safe.
 *
 * <pre>{@code
 * try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults())) {
 *     proxy.start();
 *     InetSocketAddress listener = proxy.putAgent(agentAcl);   // guest traffic for this agent goes here
 *     proxy.setStep("agent.a", stepAcl);                       // effective = agent ACL ∩ step ACL
 *     proxy.clearStep("agent.a");                              // deny-all between steps
 * }
 * }</pre>
 */
public final class EgressProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EgressProxy.class);

    private final ProxyConfig config;
    private final Transports transports = Transports.detect();
    private final PolicyStore store;
    private final AtomicReference<EnforcementMode> mode;
    private final RecentDecisions recent;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProxyMetrics metrics = new ProxyMetrics(registry);
    private final Map<String, Listener> listeners = new HashMap<>();
    private final BodyBudget bodyBudget;
    /** Made with the proxy, key in memory only (one CA per run), unless one is given ({@code --ca-cert}). */
    private final InterceptionCa interceptionCa;
    private final UpstreamTls upstreamTls = new UpstreamTls();
    /** Reads the secrets an ACL's {@code inject_headers} names, when the ACL is put. */
    private final SecretResolver secretResolver;

    private EventLoopGroup group;
    private DecisionLog decisionLog;
    private ExecutorService resolverExecutor;
    private ProxyContext context;

    private record Listener(InetSocketAddress requested, Channel server, AgentConnections connections) {}

    /** The one listener of {@code --identity service-account-token}; while it is open, agents get no own listener. */
    private Listener shared;

    public EgressProxy(ProxyConfig config) {
        this(config, HostSecretResolver.system());
    }

    /** {@code secrets}: where injected headers' secrets are read (tests: a map instead of the environment). */
    public EgressProxy(ProxyConfig config, SecretResolver secrets) {
        this(config, secrets, InterceptionCa.create());
    }

    /** {@code ca}: the interception CA to sign leaves with, e.g. one all proxies of a cluster share. */
    public EgressProxy(ProxyConfig config, SecretResolver secrets, InterceptionCa ca) {
        this.interceptionCa = ca;
        this.config = config;
        this.secretResolver = secrets;
        this.store = new PolicyStore(config.nanoClock());
        this.mode = new AtomicReference<>(config.mode());
        this.recent = new RecentDecisions(config.recentDecisions());
        this.bodyBudget = new BodyBudget(config.maxBufferedRequestBytes());
    }

    /** A proxy for an ACL file: its mode, its {@code resolve} overrides in front of {@code base}'s resolver. */
    public static EgressProxy forFile(AclFile file, ProxyConfig base) {
        ProxyConfig cfg = base.withMode(file.mode());
        if (!file.resolve().isEmpty()) {
            cfg = cfg.withResolver(new StaticOverrideResolver(file.resolve(), base.resolver()));
        }
        return new EgressProxy(cfg);
    }

    /** As {@link #forFile(AclFile, ProxyConfig)}, signing intercepted tunnels' leaves with {@code ca}. */
    public static EgressProxy forFile(AclFile file, ProxyConfig base, InterceptionCa ca) {
        ProxyConfig cfg = base.withMode(file.mode());
        if (!file.resolve().isEmpty()) {
            cfg = cfg.withResolver(new StaticOverrideResolver(file.resolve(), base.resolver()));
        }
        return new EgressProxy(cfg, HostSecretResolver.system(), ca);
    }

    public synchronized void start() {
        if (group != null) {
            return;
        }
        group = transports.newGroup(config.ioThreads());
        resolverExecutor = Executors.newVirtualThreadPerTaskExecutor();
        List<DecisionSink> sinks = new ArrayList<>();
        sinks.add(recent);
        sinks.add(metrics);
        sinks.addAll(config.sinks());
        decisionLog = new DecisionLog(sinks);
        context = new ProxyContext(config, store, mode,
                config.connector().orElseGet(() -> new NettyConnector(transports, config.connectTimeout())),
                resolverExecutor, decisionLog, metrics, bodyBudget, interceptionCa, upstreamTls);
        LOG.info("egress proxy started ({} transport, mode {})", transports.epoll() ? "epoll" : "nio",
                mode.get().jsonName());
    }

    /**
     * Puts or replaces an agent's ACL and makes sure its listener is up; returns the bound address. Replacing
     * keeps the agent's plan phase and step ACL, and keeps every open connection. The ACL is taken as it is: an
     * {@link AgentAcl} is valid and normalized by construction. The secrets its {@code inject_headers} name are read
     * first: one that cannot be held refuses the ACL ({@link SecretUnavailableException} naming the reference, never
     * a value) and the agent keeps its previous rules and listener.
     */
    public synchronized InetSocketAddress putAgent(AgentAcl acl) {
        requireStarted();
        if (acl.step().isPresent()) {
            throw new IllegalArgumentException("an agent ACL has no step; use setStep for step ACLs");
        }
        if (shared != null) {
            return putSharedAgent(acl);
        }
        if (acl.serviceAccount().isPresent()) {
            throw new IllegalArgumentException("agent " + acl.agentId() + ": service_account is for the shared listener "
                    + "(--identity service-account-token); on its own listener the listener is the identity");
        }
        HeldSecrets held = HeldSecrets.resolve(acl, secretResolver);
        InetSocketAddress wanted = acl.listen().map(EgressProxy::parseListen)
                .orElseGet(() -> new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Listener current = listeners.get(acl.agentId());
        if (current != null && (acl.listen().isEmpty() || current.requested().equals(wanted))) {
            store.putAgent(acl, held);
            return (InetSocketAddress) current.server().localAddress();
        }
        AgentConnections connections = current != null ? current.connections()
                : new AgentConnections(acl.agentId());
        // The future is inspected rather than sync()ed: sync rethrows a bind failure as the checked BindException,
        // which no RuntimeException handler catches (a control API request hung on it).
        ChannelFuture bind = serverBootstrap(acl.agentId())
                .childHandler(new AgentChannelInitializer(context, acl.agentId(), connections))
                .bind(wanted).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            bind.channel().close();
            throw new ListenerUnavailableException(acl.agentId(), wanted, bind.cause());
        }
        Channel server = bind.channel();
        store.putAgent(acl, held);
        if (current != null) {
            current.server().close(); // the old address stops accepting; its open connections live on
        }
        listeners.put(acl.agentId(), new Listener(wanted, server, connections));
        InetSocketAddress bound = (InetSocketAddress) server.localAddress();
        LOG.info("agent {} listens on {}", acl.agentId(), bound);
        return bound;
    }

    private InetSocketAddress putSharedAgent(AgentAcl acl) {
        if (acl.serviceAccount().isEmpty()) {
            throw new IllegalArgumentException("agent " + acl.agentId()
                    + ": at the shared listener every agent needs a service_account (its token is its identity)");
        }
        if (acl.listen().isPresent()) {
            throw new IllegalArgumentException("agent " + acl.agentId()
                    + ": at the shared listener an agent has no listen of its own");
        }
        store.agentForServiceAccount(acl.serviceAccount().get()).filter(other -> !other.equals(acl.agentId()))
                .ifPresent(other -> {
                    throw new IllegalArgumentException("agent " + acl.agentId() + ": service_account "
                            + acl.serviceAccount().get() + " is already agent " + other + "'s");
                });
        store.putAgent(acl, HeldSecrets.resolve(acl, secretResolver));
        return (InetSocketAddress) shared.server().localAddress();
    }

    /**
     * Opens the listener all agents share ({@code --identity service-account-token}): each request proves its agent
     * with a ServiceAccount token verified by {@code tokens}, matched to the agent whose ACL names that ServiceAccount.
     * Call it before any agent is put; afterwards every agent needs a {@code service_account} and no {@code listen}.
     */
    public synchronized InetSocketAddress listenShared(InetSocketAddress address, ServiceAccountTokens tokens) {
        requireStarted();
        if (shared != null || !listeners.isEmpty()) {
            throw new IllegalStateException("the shared listener opens once, before any agent has a listener");
        }
        AgentConnections connections = new AgentConnections("shared");
        ServiceAccountTokenIdentity identity = new ServiceAccountTokenIdentity(tokens, store::agentForServiceAccount);
        ChannelFuture bind = serverBootstrap("shared")
                .childHandler(AgentChannelInitializer.shared(context, identity, connections))
                .bind(address).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            bind.channel().close();
            throw new ListenerUnavailableException("shared", address, bind.cause());
        }
        shared = new Listener(address, bind.channel(), connections);
        InetSocketAddress bound = (InetSocketAddress) bind.channel().localAddress();
        LOG.info("shared listener on {} (ServiceAccount token identity)", bound);
        return bound;
    }

    /** True once started and, in shared mode, while the shared listener is open: what {@code /healthz} reports. */
    public synchronized boolean listening() {
        return group != null && (shared == null ? !listeners.isEmpty() : shared.server().isActive());
    }

    private ServerBootstrap serverBootstrap(String who) {
        return new ServerBootstrap()
                .group(group)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptBackoffHandler(who))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new io.netty.channel.AdaptiveRecvByteBufAllocator(512, 16 * 1024, 256 * 1024));
    }

    /** Removes an agent: closes its listener and its open connections. */
    public synchronized boolean removeAgent(String agentId) {
        Listener l = listeners.remove(agentId);
        boolean had = store.removeAgent(agentId);
        if (l != null) {
            l.server().close();
            l.connections().closeAll();
        }
        return had;
    }

    /**
     * Sets the current step ACL of an agent, as it is (valid and normalized by construction); effective rules become
     * agent ACL ∩ step ACL.
     */
    public void setStep(String agentId, AgentAcl stepAcl) {
        store.setStep(agentId, stepAcl);
    }

    /** Ends the current step: the agent is denied everything until the next step or the end of the plan. */
    public void clearStep(String agentId) {
        store.clearStep(agentId);
    }

    /** Leaves the plan: the agent ACL alone applies again. */
    public void endPlan(String agentId) {
        store.endPlan(agentId);
    }

    public Optional<PolicyStore.AgentState> agentState(String agentId) {
        return store.state(agentId);
    }

    public List<String> agents() {
        return store.all().keySet().stream().sorted().toList();
    }

    public synchronized Optional<InetSocketAddress> listenAddress(String agentId) {
        Listener l = listeners.get(agentId);
        return l == null ? Optional.empty() : Optional.of((InetSocketAddress) l.server().localAddress());
    }

    /**
     * Client connections open right now on {@code agentId}'s listener (plain requests and tunnels alike); empty for
     * an unknown agent. A blue/green switch waits for this to reach 0 before it removes the old agent.
     */
    public synchronized OptionalInt openConnections(String agentId) {
        Listener l = listeners.get(agentId);
        return l == null ? OptionalInt.empty() : OptionalInt.of(l.connections().open());
    }

    /** The newest {@code limit} decisions, oldest first. */
    public List<DecisionRecord> decisions(int limit) {
        return recent.last(limit);
    }

    public EnforcementMode mode() {
        return mode.get();
    }

    public void setMode(EnforcementMode m) {
        mode.set(m);
    }

    /** Request body bytes held right now over all agents (bounded by the config's maxBufferedRequestBytes). */
    /**
     * The PEM certificate (never the key) of this proxy's interception CA: what a client trusts for the run so that
     * intercepted tunnels ({@code "tls": "intercept"}) verify.
     */
    public String interceptionCaPem() {
        return interceptionCa.certificatePem();
    }

    /** Leaf certificates the interception CA has minted (cache misses) since the proxy started. */
    public long interceptionLeavesMinted() {
        return interceptionCa.minted();
    }

    public long bufferedRequestBytes() {
        return bodyBudget.held();
    }

    public int activeTunnels() {
        return metrics.activeTunnels();
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public Transports transports() {
        return transports;
    }

    public synchronized EventLoopGroup eventLoopGroup() {
        requireStarted();
        return group;
    }

    public synchronized void stop() {
        if (group == null) {
            return;
        }
        for (Listener l : listeners.values()) {
            l.server().close().syncUninterruptibly();
            l.connections().closeAll().awaitUninterruptibly();
        }
        listeners.clear();
        if (shared != null) {
            shared.server().close().syncUninterruptibly();
            shared.connections().closeAll().awaitUninterruptibly();
            shared = null;
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        resolverExecutor.shutdownNow();
        decisionLog.close();
        group = null;
        LOG.info("egress proxy stopped");
    }

    @Override
    public void close() {
        stop();
    }

    private void requireStarted() {
        if (group == null) {
            throw new IllegalStateException("proxy not started");
        }
    }

    private static InetSocketAddress parseListen(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        try {
            // Only loopback literals and "localhost" pass the codec, so this never leaves the machine.
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("listen host " + host + ": " + e.getMessage(), e);
        }
    }
}
