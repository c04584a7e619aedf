package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.acldir.AclDirectory;
import dev.rtfs.microvm.egressproxy.acldir.AclDirectoryWatcher;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokens;
import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.AclFile;
import dev.rtfs.microvm.egresspolicy.acl.AclFormatException;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.control.ControlApiServer;
import dev.rtfs.microvm.egressproxy.control.StaleSocket;
import dev.rtfs.microvm.egressproxy.observe.MetricsServer;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm proxy --acl FILE | --acl-dir DIR}: the standalone egress proxy (docs/egress-acl.md,
 * docs/control-api.md); with {@code --identity service-account-token} one shared listener for many agents, each
 * request proving its agent with a Kubernetes ServiceAccount token. Runs until SIGINT/SIGTERM (or,
 * in-process, until its thread is interrupted). Exit 1: the ACL file is invalid (with its JSON path); exit 2:
 * unreadable file, bad option, or a listener/socket that cannot be opened (a port in use, a {@code --control-socket}
 * path that is not a stale socket).
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Run the egress proxy: per-agent allowlists, DNS pinning, SSRF guards, SNI checks, DLP, limits.",
        subcommands = ProxySwitchCommand.class)
final class ProxyCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--acl", paramLabel = "FILE",
            description = "ACL file (JSON; every field in docs/egress-acl.md). This or --acl-dir is required.")
    String acl;

    @Option(names = "--acl-dir", paramLabel = "DIR", description = {
        "Directory of ACL files: every *.json directly in DIR (symlinks followed, names starting with '.' ignored), "
                + "each an ACL file or one agent's document; agents merged (an id in two files is refused).",
        "Re-read every 2 s when its content changes: a new valid content is applied (agents added, changed, "
                + "removed); an invalid one is logged and the ACLs in use stay."})
    String aclDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = {
        "Listener of the single agent in the file (overrides its \"listen\").",
        "With --identity service-account-token: the one listener all agents share (e.g. 0.0.0.0:3128)."})
    String listen;

    @Option(names = "--identity", paramLabel = "listener|service-account-token", description = {
        "How a request proves its agent. listener (default): one loopback listener per agent, the listener is the "
                + "identity.",
        "service-account-token: one shared --listen; every request carries Proxy-Authorization: Bearer <JWT> (or "
                + "Basic base64(user:<JWT>)), a Kubernetes projected ServiceAccount token whose sub names the agent's "
                + "\"service_account\". Needs --token-jwks and --token-audience. Missing or invalid: 407."})
    String identity;

    @Option(names = "--token-jwks", paramLabel = "FILE",
            description = "The cluster's ServiceAccount token keys (kubectl get --raw /openid/v1/jwks); re-read when it changes.")
    String tokenJwks;

    @Option(names = "--token-audience", paramLabel = "AUD",
            description = "The audience a token's aud must contain (e.g. rtfs-egress-proxy).")
    String tokenAudience;

    @Option(names = "--token-issuer", paramLabel = "ISS", description = "If given, a token's iss must equal it.")
    String tokenIssuer;

    @Option(names = "--control-socket", paramLabel = "PATH", description = {
        "Unix socket for the host-only control API.",
        "An existing PATH must be a stale socket (nothing listening): it is replaced. Any other file, or a socket "
                + "in use, is refused (exit 2) and left alone."})
    String controlSocket;

    @Option(names = "--mode", paramLabel = "enforce|report", description = "Overrides the file's mode.")
    String mode;

    @Option(names = "--io-threads", paramLabel = "N", description = {
        "Event-loop threads serving all connections (1-256; default: half the cores, at least 2).",
        "Each connection lives on one thread; more threads serve more connections at once where cores are free."})
    Integer ioThreads;

    @Option(names = "--metrics-port", paramLabel = "N", description = "Serve Prometheus metrics on 127.0.0.1:N.")
    Integer metricsPort;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", description = {
        "Serve GET /metrics (Prometheus) and GET /healthz on HOST:PORT (e.g. 0.0.0.0:9090 in a pod).",
        "/healthz: 200 ok once the ACLs are loaded and the listener is open, else 503."})
    String metricsListen;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = {
        "TLS interception CA certificate (PEM) to sign leaves with instead of a per-run CA; needs --ca-key.",
        "Must be a CA certificate (CA:TRUE) valid now; e.g. a kubernetes.io/tls Secret's tls.crt."})
    String caCert;

    @Option(names = "--ca-key", paramLabel = "FILE",
            description = "The private key (PEM, EC or RSA) of --ca-cert; a key that is not the certificate's is refused (exit 2).")
    String caKey;

    @Option(names = "--ca-out", paramLabel = "FILE", description = {
        "Write the certificate (PEM) of this proxy's TLS interception CA to FILE (mode 0644, replaced atomically) "
                + "before any listener opens, for clients to trust (curl --cacert FILE) when an agent has \"tls\": "
                + "\"intercept\".",
        "The certificate only, never the key: the CA's key exists in this process's memory alone, a new one each run."})
    String caOut;

    static final String DECISION_LOG_LEVEL = "org.slf4j.simpleLogger.log.dev.rtfs.microvm.egresspolicy.decision";
    static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    @Override
    public Integer call() {
        // The decision lines are this command's access log (as squid's access.log): on unless configured, while
        // other loggers stay at the CLI's warn level. Set before the first logger exists.
        System.getProperties().putIfAbsent(DECISION_LOG_LEVEL, "info");
        // Netty's buffer leak detector records a stack trace for sampled buffers: about 2% of the proxy's CPU at
        // load, for a development aid (the test suites run with it). -Dio.netty.leakDetection.level=simple turns it on.
        System.getProperties().putIfAbsent(NETTY_LEAK_DETECTION, "disabled");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((acl == null) == (aclDir == null)) {
            throw new UsageException(acl == null ? "Missing required option: '--acl=FILE' or '--acl-dir=DIR'"
                    : "--acl and --acl-dir exclude each other");
        }
        boolean sharedMode = SharedListenerOptions.sharedMode(identity);
        if ((caCert == null) != (caKey == null)) {
            throw new UsageException("--ca-cert and --ca-key go together");
        }
        if (ioThreads != null && (ioThreads < 1 || ioThreads > 256)) {
            throw new UsageException("--io-threads must be 1-256, not " + ioThreads);
        }
        AclFile file;
        Optional<AclDirectory.Read.Loaded> dirRead = Optional.empty();
        if (aclDir != null) {
            AclDirectory.Read read = AclDirectory.read(Path.of(aclDir));
            if (read instanceof AclDirectory.Read.Refused r) {
                err.println("error: " + r.reason());
                return Main.FAILED;
            }
            dirRead = Optional.of((AclDirectory.Read.Loaded) read);
            file = dirRead.get().acls();
        } else {
            try {
                file = AclFileReader.read(acl);
            } catch (AclFileReader.Refused e) {
                err.println("error: " + e.getMessage());
                return Main.FAILED;
            }
        }
        Optional<ServiceAccountTokens> tokens = sharedMode
                ? Optional.of(SharedListenerOptions.tokens(listen, tokenJwks, tokenAudience, tokenIssuer))
                : SharedListenerOptions.refuseTokenOptions(tokenJwks, tokenAudience, tokenIssuer);
        Optional<EnforcementMode> modeOverride = Optional.empty();
        if (mode != null) {
            switch (mode) {
                case "enforce" -> modeOverride = Optional.of(EnforcementMode.ENFORCE);
                case "report" -> modeOverride = Optional.of(EnforcementMode.REPORT);
                default -> throw new UsageException("--mode must be enforce or report, not " + mode);
            }
        }
        Map<String, AgentAcl> agents = new LinkedHashMap<>(file.agents());
        if (listen != null && !sharedMode) {
            if (agents.size() != 1) {
                throw new UsageException("--listen needs a file with exactly one agent (it has " + agents.size() + ")");
            }
            try {
                String l = AclCodec.validateListen(listen, "--listen");
                AgentAcl only = agents.values().iterator().next();
                agents.put(only.agentId(), only.withListen(l));
            } catch (AclFormatException e) {
                throw new UsageException(e.getMessage());
            }
        }
        if (controlSocket != null) {
            // Before anything listens: a path that is not a stale socket of ours is refused, never removed.
            try {
                StaleSocket.State at = StaleSocket.inspect(Path.of(controlSocket).toAbsolutePath());
                if (!(at instanceof StaleSocket.Absent) && !(at instanceof StaleSocket.Stale)) {
                    StaleSocket.clear(Path.of(controlSocket).toAbsolutePath()); // throws with the reason
                }
            } catch (IOException | InvalidPathException e) {
                throw new UsageException("--control-socket " + e.getMessage());
            }
        }
        ProxyConfig config = ioThreads == null ? ProxyConfig.defaults() : ProxyConfig.defaults().withIoThreads(ioThreads);
        EgressProxy proxy = caCert == null ? EgressProxy.forFile(file, config)
                : EgressProxy.forFile(file, config, SharedListenerOptions.givenCa(caCert, caKey));
        AclDirectoryWatcher watcher = aclDir == null ? null : new AclDirectoryWatcher(Path.of(aclDir), proxy);
        modeOverride.ifPresent(proxy::setMode);
        ControlApiServer control = null;
        MetricsServer metrics = null;
        MetricsServer metricsServing = null;
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // SIGINT/SIGTERM: wake the command and give it a moment to close listeners before the JVM exits.
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                cleanedUp.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "egress-proxy-shutdown");
        try {
            if (caOut != null) {
                try {
                    CaCertificateFile.write(Path.of(caOut), proxy.interceptionCaPem());
                } catch (IOException | InvalidPathException e) {
                    throw new UsageException("--ca-out " + caOut + ": cannot write the CA certificate ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
                }
                out.println("interception CA certificate written to " + caOut);
            }
            proxy.start();
            if (tokens.isPresent()) {
                InetSocketAddress bound = proxy.listenShared(SharedListenerOptions.address(listen), tokens.get());
                out.println("shared listener on " + bound.getAddress().getHostAddress() + ":" + bound.getPort()
                        + " (ServiceAccount token identity)");
            }
            try {
                if (watcher != null) {
                    // The content the proxy was built from: its agents, and the mode and resolve later reads must keep.
                    if (watcher.apply(dirRead.orElseThrow()) != AclDirectoryWatcher.Outcome.APPLIED) {
                        throw new UsageException("--acl-dir " + aclDir + ": the ACLs could not be applied (see the log)");
                    }
                    watcher.start(SharedListenerOptions.ACL_DIR_POLL);
                }
                for (AgentAcl a : agents.values()) {
                    InetSocketAddress bound = watcher != null ? proxy.listenAddress(a.agentId()).orElse(null)
                            : proxy.putAgent(a);
                    if (bound != null && tokens.isEmpty()) {
                        out.println("agent " + a.agentId() + " listening on " + bound.getAddress().getHostAddress()
                                + ":" + bound.getPort());
                    }
                }
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return Main.FAILED;
            }
            if (controlSocket != null) {
                control = ControlApiServer.start(proxy, Path.of(controlSocket));
                out.println("control API on unix:" + controlSocket);
            }
            if (metricsPort != null) {
                metrics = MetricsServer.start(proxy.meterRegistry(), metricsPort);
                out.println("metrics on http://127.0.0.1:" + metrics.port() + "/metrics");
            }
            if (metricsListen != null) {
                AclDirectoryWatcher w = watcher;
                metricsServing = MetricsServer.start(proxy.meterRegistry(), SharedListenerOptions.address(metricsListen),
                        () -> proxy.listening() && (w == null || w.loaded()));
                out.println("metrics and /healthz on " + metricsListen + " (port " + metricsServing.port() + ")");
            }
            out.println("egress proxy running (mode " + proxy.mode().jsonName() + "); stop with Ctrl-C");
            out.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
            return Main.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.OK;
        } catch (IllegalStateException | IOException | InvalidPathException e) {
            throw new UsageException(String.valueOf(e.getMessage()));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
            if (metrics != null) {
                metrics.close();
            }
            if (metricsServing != null) {
                metricsServing.close();
            }
            if (watcher != null) {
                watcher.close();
            }
            if (control != null) {
                control.close();
            }
            proxy.close();
            out.println("egress proxy stopped");
            out.flush();
            cleanedUp.countDown();
        }
    }

}
