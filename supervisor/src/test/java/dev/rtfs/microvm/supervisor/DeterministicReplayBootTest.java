package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.protocol.DeterministicRandom;
import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageBuildOptions;
import dev.rtfs.microvm.guest.ImageBuildResult;
import dev.rtfs.microvm.guest.ImageBuilder;
import dev.rtfs.microvm.vmm.VmSynthesizer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay in a real MicroVM (QEMU TCG, the reference agent): a seeded plan with a virtual clock gives the draws and
 * times {@link DeterministicRandom} and the clock rule predict, the same on a second run, the same after the VM is
 * killed in the middle of a step (the retried step draws again and gets what the dead VM got), and other draws
 * under another seed. One image build for the class. Prerequisites as {@link SupervisorBootTest}.
 */
class DeterministicReplayBootTest {

    private static final long START_MS = 1_800_000_000_000L;

    @TempDir
    static Path dir;
    static ImageBuildResult image;

    @BeforeAll
    static void buildTheGuestImage() throws IOException {
        SupervisorBootTest.requireThat(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 is not installed");
        try {
            image = ImageBuilder.system().build(ImageBuildOptions.defaults(dir.resolve("image")), p -> { });
        } catch (ImageBuildException e) {
            SupervisorBootTest.requireThat(false, "cannot build the guest image: " + e.getMessage());
        }
    }

    /** What a run read: per step, the values of its random.int and clock.now calls, in order. */
    private record Readings(List<String> values, RunReport report) {}

    private static Readings run(String name, String seed, boolean killMidStep) throws Exception {
        try (SupervisorBootTest.Origin origin = new SupervisorBootTest.Origin()) {
            String url = "http://example.com:" + origin.port();
            Path plan = Files.writeString(dir.resolve(name + ".rtfs"), """
                    (plan ^{:effects [:random :clock [:network {:domains ["example.com"] :methods [:GET]}]]
                            :determinism {:time {:start_ms %2$d} :random {:seed "%3$s"}}}
                      :program
                      (do (step "roll" ^{:effects [:random :clock]}
                            (do (call :random.int {:max 1000000}) (call :random.int {:max 6}) (call :clock.now {})))
                          (step "crash-once" ^{:effects [:random :clock [:network {:domains ["example.com"] :methods [:GET]}]]}
                            (do (call :random.int {:max 2147483647}) (call :clock.now {})
                                (call :http.get {:url "%1$s/crash"}) (call :random.int {:max 1000}) (call :clock.now {})))))
                    """.formatted(url, START_MS, seed));
            SupervisorBootTest.RecordingLauncher launcher = new SupervisorBootTest.RecordingLauncher();
            AtomicBoolean crashed = new AtomicBoolean();
            if (killMidStep) {
                origin.onCrash.set(() -> {
                    crashed.set(true);
                    launcher.started.getLast().kill();
                });
            }
            RunRequest req = RunRequest.of(SupervisorBootFailureTest.source(SupervisorBootTest.ROOT.resolve("docs/examples/agent.config.microvm.rtfs")),
                            SupervisorBootFailureTest.source(plan), image.layout().root(), dir.resolve("run-" + name))
                    .withGuest(image.layout().initramfs(), Optional.of(image.layout().capabilities()))
                    .withEgressOverrides(Map.of("example.com", List.of(InetAddress.getLoopbackAddress())), List.of("127.0.0.0/8"))
                    .withTimeouts(Duration.ofSeconds(90), Duration.ofSeconds(40), Duration.ofSeconds(30))
                    .withChainKey(dir.resolve("state/chain-key"));
            RunReport report = new Supervisor(VmSynthesizer.standard(), launcher).run(req);
            assertThat(report.succeeded()).as(RunTable.render(report)).isTrue();
            assertThat(crashed.get()).isEqualTo(killMidStep);
            assertThat(report.attempts()).isEqualTo(killMidStep ? 2 : 1);
            List<String> values = new ArrayList<>();
            for (ChainRecord r : chain(report)) {
                if (!r.kind().equals(ChainJournal.FINISHED)) continue;
                r.data().get("calls").forEach(c -> {
                    if (!c.get("capability").asString().equals("http.get")) {
                        values.add(r.step() + " " + c.get("capability").asString() + " " + c.get("value"));
                    }
                });
            }
            return new Readings(values, report);
        }
    }

    private static List<ChainRecord> chain(RunReport report) throws IOException {
        List<ChainRecord> records = new ArrayList<>();
        ChainVerifier.verify(report.runDir().resolve("chain"), null, records::add);
        return records;
    }

    private static String hex(String seed) {
        return HexFormat.of().formatHex(seed.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSeededPlanReplaysTheSameDrawsAndTimesAcrossRunsAndAfterAKillAndAnotherSeedDrawsOthers() throws Exception {
        Readings first = run("first", "0x2a", false);
        String s = hex("0x2a");
        assertThat(first.values()).as("the guest's draws are the host's function of (seed, step, call)").containsExactly(
                "roll random.int " + new DeterministicRandom(s, 0, 0).nextBelow(1_000_000),
                "roll random.int " + new DeterministicRandom(s, 0, 1).nextBelow(6),
                "roll clock.now {\"epoch_ms\":" + (START_MS + 2) + "}",
                "crash-once random.int " + new DeterministicRandom(s, 1, 0).nextBelow(2_147_483_647),
                "crash-once clock.now {\"epoch_ms\":" + (START_MS + 1001) + "}",
                "crash-once random.int " + new DeterministicRandom(s, 1, 3).nextBelow(1000),
                "crash-once clock.now {\"epoch_ms\":" + (START_MS + 1004) + "}");

        Readings killed = run("killed", "0x2a", true);
        // The dead VM's attempt at crash-once is in the chain too (failed at the http.get): its first two calls,
        // then the retried step on the new VM: all equal to the first run's.
        List<String> expected = new ArrayList<>(first.values());
        expected.addAll(3, first.values().subList(3, 5));
        assertThat(killed.values()).isEqualTo(expected);
        assertThat(killed.report().steps()).extracting(StepOutcome::status)
                .containsExactly(StepStatus.ALREADY_DONE, StepStatus.COMPLETED);

        Readings other = run("other", "0x2b", false);
        assertThat(other.values()).filteredOn(v -> v.contains("clock.now")).as("time is the plan's, not the seed's")
                .isEqualTo(first.values().stream().filter(v -> v.contains("clock.now")).toList());
        assertThat(other.values()).filteredOn(v -> v.contains("random.int"))
                .isNotEqualTo(first.values().stream().filter(v -> v.contains("random.int")).toList());
    }
}
