package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The host decides, the guest computes: each call of a deterministic step carries a context made from the plan
 * alone (seed, step, call position, virtual now), the same on every run; real steps carry none; the chain and the
 * run report say which each call had.
 */
class DeterministicCallsTest {

    private static final String PLAN = """
            (plan ^{:effects [:clock :random] :determinism {:time {:start_ms 1000000} :random {:seed "0x2a"}}}
              :program
              (do
                (step "warm" ^{:effects [:clock]} (call :clock.now {}))
                (step "roll" ^{:effects [:random :clock]}
                  (do (call :random.int {:max 6}) (call :random.int {:max 6}) (call :clock.now {})))))
            """;

    @TempDir
    Path dir;

    private static List<Optional<CallDeterminism>> run(AdmissionResult plan, StepJournal journal) {
        PlanExecutorTest.EgressLog egress = new PlanExecutorTest.EgressLog();
        PlanExecutorTest.ScriptedGuest guest = new PlanExecutorTest.ScriptedGuest(egress,
                step -> CompletableFuture.completedFuture(CallResult.ok(JsonNodeFactory.instance.numberNode(1))));
        new PlanExecutor(guest, egress, journal, Duration.ofSeconds(5))
                .run(PlanExecutorTest.AGENT, plan.plan().orElseThrow(), plan.profiles());
        return guest.dets;
    }

    @Test
    void eachCallOfADeterministicStepCarriesTheSameContextOnEveryRun() throws Exception {
        AdmissionResult plan = PlanExecutorTest.admitted(PLAN);
        List<Optional<CallDeterminism>> first = run(plan, new PlanExecutorTest.MemoryJournal());
        List<Optional<CallDeterminism>> second = run(plan, new PlanExecutorTest.MemoryJournal());
        assertThat(first).isEqualTo(second).containsExactly(
                // "warm" draws no randomness: virtual time only, no seed
                Optional.of(new CallDeterminism(Optional.empty(), 0, 0, OptionalLong.of(1_000_000))),
                // "0x2a" as UTF-8 hex; now = start + 1000 × step + call
                Optional.of(new CallDeterminism(Optional.of("30783261"), 1, 0, OptionalLong.of(1_001_000))),
                Optional.of(new CallDeterminism(Optional.of("30783261"), 1, 1, OptionalLong.of(1_001_001))),
                Optional.of(new CallDeterminism(Optional.of("30783261"), 1, 2, OptionalLong.of(1_001_002))));
    }

    @Test
    void aRealPlanSendsNoContext() throws Exception {
        AdmissionResult plan = PlanExecutorTest.admitted("""
                (plan ^{:effects [:clock]} :program (step "t" ^{:effects [:clock]} (call :clock.now {})))
                """);
        assertThat(run(plan, new PlanExecutorTest.MemoryJournal())).containsExactly(Optional.empty());
    }

    @Test
    void theChainRecordsWhichRandomAndWhichClockEachCallHad() throws Exception {
        AdmissionResult plan = PlanExecutorTest.admitted(PLAN);
        try (ChainStore chain = ChainStore.open(dir, ChainOptions.defaults())) {
            run(plan, new ChainJournal(chain, PlanExecutorTest.AGENT, "plan-1"));
        }
        List<ChainRecord> records = new ArrayList<>();
        ChainVerifier.verify(dir, null, records::add);
        // the chain stores canonical JSON: keys sorted
        JsonNode warm = records.get(1).data().get("calls").get(0).get("determinism");
        assertThat(warm.toString()).isEqualTo("{\"call\":0,\"now_ms\":1000000,\"random\":\"real\",\"step\":0,\"time\":\"virtual\"}");
        JsonNode roll = records.get(3).data().get("calls").get(1).get("determinism");
        assertThat(roll.toString()).isEqualTo(
                "{\"call\":1,\"now_ms\":1001001,\"random\":\"deterministic\",\"seed\":\"30783261\",\"step\":1,\"time\":\"virtual\"}");
    }

    @Test
    void theRunReportGivesEachStepItsEgressDecisionsAndEachCallItsDeterminism() {
        CallOutcome real = new CallOutcome("clock.now", JsonNodeFactory.instance.objectNode(),
                CallResult.ok(JsonNodeFactory.instance.numberNode(5)), Duration.ofMillis(3));
        StepOutcome fetch = new StepOutcome(0, "fetch", StepStatus.COMPLETED, List.of(real), Duration.ofMillis(9), Optional.empty());
        StepOutcome other = new StepOutcome(1, "other", StepStatus.COMPLETED, List.of(), Duration.ofMillis(1), Optional.empty());
        DecisionRecord denied = new DecisionRecord(Instant.EPOCH, "a", Optional.of("fetch"), "CONNECT", "evil.test", 443,
                Optional.empty(), "DENY", "domain-not-allowed", 403, "", 0, 0, 0);
        RunReport report = new RunReport("a", List.of(), List.of(fetch, other), 1, "tcg", Optional.empty(), dir,
                Optional.empty(), List.of(denied));
        JsonNode json = RunReportJson.toJson(report);
        assertThat(json.get("steps").get(0).get("egress").toString()).isEqualTo(
                "[{\"method\":\"CONNECT\",\"host\":\"evil.test\",\"port\":443,\"decision\":\"DENY\","
                        + "\"reason\":\"domain-not-allowed\",\"status\":403}]");
        assertThat(json.get("steps").get(1).get("egress")).isEmpty();
        assertThat(json.get("egress").get(0).get("step").asString()).isEqualTo("fetch");
        assertThat(json.get("steps").get(0).get("calls").get(0).get("determinism").toString())
                .isEqualTo("{\"random\":\"real\",\"time\":\"real\"}");
    }
}
