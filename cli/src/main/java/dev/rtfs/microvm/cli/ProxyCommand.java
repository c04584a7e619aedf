package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.egressproxy.EgressProxy;
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
 * {@code rtfs-microvm proxy --acl FILE}: the standalone egress proxy (docs/egress-acl.md, docs/control-api.md). Runs until SIGINT/SIGTERM (or,
 * in-process, until its thread is interrupted). Exit 1: the ACL file is invalid (with its JSON path); exit 2:
 * unreadable file, bad option, or a listener/socket that cannot be opened (a port in use, a {@code --control-socket}
 * path that is not a stale socket).
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Run the egress proxy: per-agent allowlists, DNS pinning, SSRF guards, SNI checks, DLP, limits.",
        subcommands = ProxySwitchCommand.class)
final class ProxyCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--acl", paramLabel = "FILE", description = "ACL file (JSON; every field in docs/egress-acl.md). Required.")
    String acl;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Listener of the single agent in the file (overrides its \"listen\").")
    String listen;

    @Option(names = "--control-socket", paramLabel = "PATH", description = {
        "Unix socket for the host-only control API.",
        "An existing PATH must be a stale socket (nothing listening): it is replaced. Any other file, or a socket "
                + "in use, is refused (exit 2) and left alone."})
    String controlSocket;

    @Option(names = "--mode", paramLabel = "enforce|report", description = "Overrides the file's mode.")
    String mode;

    @Option(names = "--metrics-port", paramLabel = "N", description = "Serve Prometheus metrics on 127.0.0.1:N.")
    Integer metricsPort;

    @Option(names = "--ca-out", paramLabel = "FILE", description = {
        "Write the certificate (PEM) of this proxy's TLS interception CA to FILE (mode 0644, replaced atomically) "
                + "before any listener opens, for clients to trust (curl --cacert FILE) when an agent has \"tls\": "
                + "\"intercept\".",
        "The certificate only, never the key: the CA's key exists in this process's memory alone, a new one each run."})
    String caOut;

    static final String DECISION_LOG_LEVEL = "org.slf4j.simpleLogger.log.dev.rtfs.microvm.egresspolicy.decision";

    @Override
    public Integer call() {
        // The decision lines are this command's access log (as squid's access.log): on unless configured, while
        // other loggers stay at the CLI's warn level. Set before the first logger exists.
        System.getProperties().putIfAbsent(DECISION_LOG_LEVEL, "info");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (acl == null) {
            throw new UsageException("Missing required option: '--acl=FILE'");
        }
        AclFile file;
        try {
            file = AclFileReader.read(acl);
        } catch (AclFileReader.Refused e) {
            err.println("error: " + e.getMessage());
            return Main.FAILED;
        }
        Optional<EnforcementMode> modeOverride = Optional.empty();
        if (mode != null) {
            switch (mode) {
                case "enforce" -> modeOverride = Optional.of(EnforcementMode.ENFORCE);
                case "report" -> modeOverride = Optional.of(EnforcementMode.REPORT);
                default -> throw new UsageException("--mode must be enforce or report, not " + mode);
            }
        }
        Map<String, AgentAcl> agents = new LinkedHashMap<>(file.agents());
        if (listen != null) {
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
        ProxyConfig config = ProxyConfig.defaults();
        EgressProxy proxy = EgressProxy.forFile(file, config);
        modeOverride.ifPresent(proxy::setMode);
        ControlApiServer control = null;
        MetricsServer metrics = null;
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
            for (AgentAcl a : agents.values()) {
                InetSocketAddress bound = proxy.putAgent(a);
                out.println("agent " + a.agentId() + " listening on " + bound.getAddress().getHostAddress() + ":"
                        + bound.getPort());
            }
            if (controlSocket != null) {
                control = ControlApiServer.start(proxy, Path.of(controlSocket));
                out.println("control API on unix:" + controlSocket);
            }
            if (metricsPort != null) {
                metrics = MetricsServer.start(proxy.meterRegistry(), metricsPort);
                out.println("metrics on http://127.0.0.1:" + metrics.port() + "/metrics");
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
