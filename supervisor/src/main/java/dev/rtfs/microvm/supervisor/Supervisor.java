package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.agentconfig.ValidatedConfig;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.controlplane.chain.AnchorSigner;
import dev.rtfs.microvm.controlplane.chain.ChainEntry;
import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.HeadTrust;
import dev.rtfs.microvm.controlplane.chain.HostKey;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.controlplane.server.AdmissionCache;
import dev.rtfs.microvm.controlplane.server.AgentChannel;
import dev.rtfs.microvm.controlplane.server.ControlServer;
import dev.rtfs.microvm.controlplane.server.ControlServerOptions;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.control.ControlApi;
import dev.rtfs.microvm.egressproxy.control.StaleSocket;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.net.StaticOverrideResolver;
import dev.rtfs.microvm.egresspolicy.net.SystemResolver;
import dev.rtfs.microvm.egressproxy.server.NettyConnector;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import dev.rtfs.microvm.egressproxy.server.Transports;
import dev.rtfs.microvm.guest.image.ImageLock;
import dev.rtfs.microvm.orchestrator.admission.Admission;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.AgentEgressAcl;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import dev.rtfs.microvm.orchestrator.plan.PlanReader;
import dev.rtfs.microvm.vmm.RunDirLayout;
import dev.rtfs.microvm.vmm.SynthOptions;
import dev.rtfs.microvm.vmm.SynthResult;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.attest.Sha256;
import dev.rtfs.microvm.vmm.qemu.QemuSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code run}: validate the config → admit the plan → open the agent's proxy listener (deny-all
 * until a step runs) and the control socket → synthesize the QEMU spec in deploy mode, which resolves and
 * verifies the rootfs attestation → boot → wait for the guest's hello → run the steps → shutdown → wait for the
 * exit → verify the chain. A VM that dies is booted again from the same read-only images and the run continues at
 * the first step that did not complete. Everything lands in the causal chain under {@code <run>/chain}: the run,
 * each boot and exit, each step, every guest event and every egress decision.
 */
public final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final VmSynthesizer synthesizer;
    private final VmLauncher launcher;

    public Supervisor(VmSynthesizer synthesizer, VmLauncher launcher) {
        this.synthesizer = synthesizer;
        this.launcher = launcher;
    }

    public RunReport run(RunRequest req) throws IOException {
        return run(req, RunListener.NONE);
    }

    /** Runs {@code req}; {@code listener} hears each phase as it happens. */
    public RunReport run(RunRequest req, RunListener listener) throws IOException {
        Progress progress = new Progress(listener);
        Path runDir = req.runDir().toAbsolutePath();
        ConfigCheckResult checked = ConfigLoader.load(req.loads(), req.config());
        if (checked.validated().isEmpty()) {
            return refused("-", checked.diagnostics(), runDir);
        }
        ValidatedConfig validated = checked.validated().get();
        AgentConfig config = validated.config();
        // Calls are admitted against the image's capabilities (built-ins and its packages), before anything boots.
        List<Diagnostic> imageProblems = new ArrayList<>();
        AgentPolicy policy = AgentPolicy.from(config).withCapabilities(ImageCapabilities.of(req.imageDir(), imageProblems));
        String agentId = policy.agentId();
        if (!imageProblems.isEmpty()) {
            return refused(agentId, imageProblems, runDir);
        }
        AdmissionResult admission = Admission.admit(PlanReader.read(req.plan()), policy);
        if (!admission.admitted()) {
            return refused(agentId, admission.diagnostics(), runDir);
        }
        progress.say(RunEvent.Phase.VALIDATED, "config valid, plan admitted: " + admission.profiles().size()
                + " steps for agent " + agentId);
        Optional<String> unbootable = GuestFiles.problem(config, req);
        if (unbootable.isPresent()) {
            return new RunReport(agentId, List.of(), List.of(), 0, "-", Optional.empty(), runDir, unbootable,
                    List.of());
        }
        // The plan id is the start of the plan text's sha256, the hash the admission cache knows the plan by.
        String planId = "plan-" + Sha256.hex(req.plan().text()).substring(0, 16);

        Files.createDirectories(runDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        RunDirLayout layout = new RunDirLayout(runDir);
        // A stale socket of an earlier run goes; anything else there (a file, a live socket) stops the run.
        StaleSocket.clear(layout.qemuControlSocket());
        StaleSocket.clear(layout.qemuQmpSocket());
        Path chainDir = runDir.resolve("chain");
        Attempts attempts;
        QemuSpec spec;
        // The host key signs the chain's head after every commit; verification checks the chain ends at it.
        AnchorSigner chainKey = HostKey.loadOrCreate(req.chainKey());
        // The proxy's decisions for this agent, as it makes them: journaled in the chain and kept for the report.
        List<DecisionRecord> egress = Collections.synchronizedList(new ArrayList<>());
        // The chain closes after the proxy (whose decision sink writes into it), then it is verified.
        try (ChainStore chain = ChainStore.open(chainDir, ChainOptions.defaults().withHeadSigner(chainKey));
                EgressProxy proxy = new EgressProxy(proxyConfig(req, chain, agentId, planId, egress))) {
            proxy.start();
            int proxyPort = proxy.putAgent(AgentEgressAcl.of(policy, req.allowRanges(), req.upstreamCa())).getPort();
            proxy.clearStep(agentId); // deny-all until the first step
            progress.say(RunEvent.Phase.PROXY, "egress proxy on 127.0.0.1:" + proxyPort + " (deny-all until a step runs)");

            SynthOptions options = ImageLock.attestAgainstLockOf(config, SynthOptions.defaults(runDir)
                    .withBaseDir(req.imageDir().toAbsolutePath()).withDeploy(true).withProxyPort(proxyPort));
            options = req.initrd().map(options::withInitrd).orElse(options);
            options = req.capabilitiesImage().map(options::withCapabilitiesImage).orElse(options);
            // Under interception the guest must trust this proxy's CA for this run only: a per-run read-only disk,
            // not an image change; its hash and the CA's fingerprint go into run.started.
            Optional<RunConfigRecord> runConfig = policy.tls().mode() == TlsMode.INTERCEPT
                    ? Optional.of(RunConfigRecord.write(layout.runConfigDisk(), proxy.interceptionCaPem()))
                    : Optional.empty();
            options = runConfig.map(r -> r.disk()).map(options::withRunConfigDisk).orElse(options);
            SynthResult<QemuSpec> synth = synthesizer.qemu(validated, options);
            // Every boot artifact's measurement, also when the deploy is refused: the chain says what was offered.
            ObjectNode started = JSON.objectNode().put("config", req.config().name()).put("plan", req.plan().name())
                    .put("image_dir", req.imageDir().toAbsolutePath().toString()); // which image a blue/green run booted
            synth.measured().forEach(started.putObject("artifacts")::put);
            runConfig.ifPresent(r -> started.putObject("run_config").put("disk", r.disk().getFileName().toString())
                    .put("sha256", r.sha256()).put("ca_sha256", r.caSha256()));
            append(chain, "run.started", agentId, planId, null, started);
            if (synth instanceof SynthResult.Refused<QemuSpec> r) {
                ObjectNode data = JSON.objectNode();
                r.diagnostics().forEach(d -> data.withArray("diagnostics").addObject()
                        .put("code", d.code().name()).put("path", d.path()).put("message", d.message()));
                append(chain, "deploy.refused", agentId, planId, null, data);
                return new RunReport(agentId, r.diagnostics(), List.of(), 0, "-", Optional.empty(), runDir,
                        Optional.empty(), List.of());
            }
            spec = ((SynthResult.Synthesized<QemuSpec>) synth).spec();
            progress.say(RunEvent.Phase.ATTESTED, "attested " + String.join(", ", synth.measured().keySet())
                    + " against image.lock; QEMU microvm spec ready (" + spec.accelerator().name() + ")");
            try (ControlServer control = new ControlServer(ListeningTransport.virtioSerial(layout.qemuControlSocket()),
                    chain, new AdmissionCache(256, 16L << 20), ControlServerOptions.defaults().forAgent(agentId));
                    GuestLog log = GuestLog.open(layout.guestLog(), req.guestLogMaxBytes())) {
                control.start();
                progress.say(RunEvent.Phase.CONTROL, "control socket " + layout.qemuControlSocket());
                AgentChannel channel = control.agent(agentId);
                channel.planId(planId);
                attempts = attempts(req, spec, log, chain, channel, proxy, agentId, planId, admission, progress);
            }
            append(chain, "run.finished", agentId, planId, null, JSON.objectNode()
                    .put("attempts", attempts.count).put("completed", attempts.completed()));
        }
        VerifyReport verified = ChainVerifier.verify(chainDir, new HeadTrust.Key(chainKey.publicKey()), null, r -> { });
        progress.say(RunEvent.Phase.CHAIN, switch (verified) {
            case VerifyReport.Valid v -> "causal chain verified: " + v.records() + " records"
                    + (v.signed() ? ", head signed by key " + AnchorSigner.keyId(chainKey.publicKey()) : "");
            case VerifyReport.Invalid i -> "causal chain BROKEN at seq " + i.seq();
        });
        return new RunReport(agentId, List.of(), attempts.steps, attempts.count, spec.accelerator().name(),
                Optional.of(verified), runDir, attempts.problem, egress);
    }

    /** The boots of one run and what the last one left. */
    private static final class Attempts {
        int count;
        List<StepOutcome> steps = List.of();
        Optional<String> problem = Optional.empty();

        boolean completed() {
            return StepOutcome.allDone(steps);
        }
    }

    /** Run events with the time since the run started. */
    private static final class Progress {
        private final RunListener listener;
        private final long start = System.nanoTime();

        Progress(RunListener listener) {
            this.listener = listener;
        }

        void say(RunEvent.Phase phase, String message) {
            listener.on(new RunEvent(phase, message, Duration.ofNanos(System.nanoTime() - start)));
        }
    }

    /**
     * Boots until the plan is done, a step fails in a live guest, or the boot budget is spent. A boot that never
     * says hello counts against the budget; one whose VM exits before hello ends the run at once (the same
     * read-only image would fail the same way), one that hangs silently is tried again (TCG can hang early).
     */
    private Attempts attempts(RunRequest req, QemuSpec spec, GuestLog log, ChainStore chain, AgentChannel channel,
            EgressProxy proxy, String agentId, String planId, AdmissionResult admission, Progress progress)
            throws IOException {
        Attempts a = new Attempts();
        StepJournal journal = new ProgressJournal(new ChainJournal(chain, agentId, planId), progress::say);
        String bootId = null;
        while (a.count < req.maxAttempts()) {
            a.count++;
            append(chain, "vm.started", agentId, planId, null, JSON.objectNode().put("attempt", a.count)
                    .put("accelerator", spec.accelerator().name()));
            log.mark("boot " + a.count);
            long started = System.nanoTime();
            VmLauncher.RunningVm vm = launcher.start(spec.argv(), log);
            progress.say(RunEvent.Phase.VM_STARTED, "boot " + a.count + ": QEMU microvm started ("
                    + spec.accelerator().name() + "; guest log " + log.file() + ")");
            ObjectNode exitData = JSON.objectNode();
            try {
                BootWait.Outcome boot = BootWait.await(channel, bootId, vm, req.helloTimeout());
                if (!(boot instanceof BootWait.Greeted greeted)) {
                    vm.kill();
                    vm.exit().handle((c, e) -> c).join(); // the rest of its output, for the message
                    a.problem = Optional.of(BootWait.describe(boot, a.count, log));
                    exitData.put("before_hello", true).put("reason", boot instanceof BootWait.Exited
                            ? "exited before hello" : "no hello within " + req.helloTimeout().toSeconds() + " s");
                    progress.say(RunEvent.Phase.BOOT_FAILED, a.problem.get().lines().findFirst().orElse(""));
                    if (boot instanceof BootWait.Exited) {
                        return a;
                    }
                    continue;
                }
                bootId = greeted.bootId();
                exitData.put("boot_ms", greeted.bootTime().toMillis());
                progress.say(RunEvent.Phase.HELLO, "hello from the guest after " + BootWait.seconds(greeted.bootTime()));
                a.problem = Optional.empty();
                GuestCalls calls = new VmAwareCalls(new ControlChannelCalls(channel), vm.exit());
                a.steps = new PlanExecutor(calls, new ProxyEgressSteps(proxy), journal, req.stepTimeout())
                        .run(agentId, admission.plan().orElseThrow(), admission.profiles());
                if (a.completed() || !vm.exit().isDone()) {
                    // Done, or a step failed in a live guest: a new boot would fail the same way.
                    progress.say(RunEvent.Phase.SHUTDOWN, "asking the guest to power off");
                    shutdown(channel, vm, req);
                    return a;
                }
                a.problem = Optional.of("the VM exited during the run (boot " + a.count + ")");
                LOG.warn("{}; booting again from the read-only images", a.problem.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                a.problem = Optional.of("interrupted");
                return a;
            } finally {
                vm.kill();
                int code = vm.exit().handle((c, e) -> c == null ? -1 : c).join();
                Duration ran = Duration.ofNanos(System.nanoTime() - started);
                append(chain, "vm.exited", agentId, planId, null, exitData.put("attempt", a.count).put("code", code)
                        .put("elapsed_ms", ran.toMillis()));
                progress.say(RunEvent.Phase.VM_EXITED, "boot " + a.count + ": VM exited (code " + code + ") after "
                        + BootWait.seconds(ran));
            }
        }
        return a;
    }

    /** Asks the guest to flush and power off; the VM is killed if it has not exited in time. */
    private static void shutdown(AgentChannel channel, VmLauncher.RunningVm vm, RunRequest req) throws InterruptedException {
        try {
            channel.shutdown("plan finished");
            vm.exit().get(req.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.warn("the guest did not power off cleanly ({}); stopping the VM", e.toString());
        }
    }

    /**
     * The run's proxy: each decision goes to the chain and, typed, those for {@code agentId} to {@code decisions}
     * (the run report's, so nothing reads the chain's JSON back).
     */
    private static ProxyConfig proxyConfig(RunRequest req, ChainStore chain, String agentId, String planId,
            List<DecisionRecord> decisions) {
        ProxyConfig c = ProxyConfig.defaults().withIoThreads(1).withSink(d -> {
            if (d.agentId().equals(agentId)) {
                decisions.add(d);
            }
            ObjectNode data = ControlApi.toJson(d);
            chain.append(new ChainEntry("egress.decision", agentId, planId, d.step().orElse(null), data, null))
                    .exceptionally(e -> {
                        LOG.error("egress decision not recorded in the chain: {}", e.toString());
                        return null;
                    });
        });
        if (!req.originPorts().isEmpty()) {
            c = c.withConnector(new LoopbackPortMap(req.originPorts(),
                    new NettyConnector(Transports.detect(), c.connectTimeout())));
        }
        return req.resolve().isEmpty() ? c : c.withResolver(new StaticOverrideResolver(req.resolve(), new SystemResolver()));
    }

    private static void append(ChainStore chain, String kind, String agentId, String planId, String step, ObjectNode data) {
        chain.append(new ChainEntry(kind, agentId, planId, step, data, null)).join();
    }

    private static RunReport refused(String agentId, List<Diagnostic> diagnostics, Path runDir) {
        return new RunReport(agentId, diagnostics.stream().filter(Diagnostic::isError).toList(), List.of(), 0, "-",
                Optional.empty(), runDir, Optional.empty(), List.of());
    }
}
