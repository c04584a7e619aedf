package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.ValueFiles;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/** A run journaled in a real chain: records in order, verifiable, and a second attempt skips what completed. */
class ChainJournalTest {

    @TempDir
    Path dir;

    @Test
    void aRunIsInTheChainAndARestartedAttemptRunsOnlyTheRest() throws Exception {
        AdmissionResult plan = PlanExecutorTest.examplePlan();
        PlanExecutorTest.EgressLog egress = new PlanExecutorTest.EgressLog();
        try (ChainStore chain = ChainStore.open(dir, ChainOptions.defaults())) {
            ChainJournal journal = new ChainJournal(chain, PlanExecutorTest.AGENT, "plan-1");
            // First attempt: the guest dies during the second step (its call fails).
            PlanExecutorTest.ScriptedGuest dying = new PlanExecutorTest.ScriptedGuest(egress, step -> step.equals("fetch-index")
                    ? CompletableFuture.completedFuture(CallResult.ok(JsonNodeFactory.instance.objectNode().put("status", 200)))
                    : CompletableFuture.completedFuture(CallResult.failed("guest connection lost")));
            PlanExecutor first = new PlanExecutor(dying, egress, journal, Duration.ofSeconds(5));
            assertThat(first.run(PlanExecutorTest.AGENT, plan.plan().orElseThrow(), plan.profiles()))
                    .extracting(StepOutcome::status)
                    .containsExactly(StepStatus.COMPLETED, StepStatus.FAILED, StepStatus.NOT_RUN);

            // Second attempt on a fresh guest: fetch-index is not sent again.
            PlanExecutorTest.ScriptedGuest fresh = new PlanExecutorTest.ScriptedGuest(egress,
                    step -> CompletableFuture.completedFuture(CallResult.ok(JsonNodeFactory.instance.stringNode("ok"))));
            PlanExecutor second = new PlanExecutor(fresh, egress, journal, Duration.ofSeconds(5));
            assertThat(second.run(PlanExecutorTest.AGENT, plan.plan().orElseThrow(), plan.profiles()))
                    .extracting(StepOutcome::status)
                    .containsExactly(StepStatus.ALREADY_DONE, StepStatus.COMPLETED, StepStatus.COMPLETED);
            assertThat(fresh.log).noneMatch(l -> l.startsWith("fetch-index"));
        }
        List<ChainRecord> records = new ArrayList<>();
        VerifyReport report = ChainVerifier.verify(dir, null, records::add);
        assertThat(report).isInstanceOf(VerifyReport.Valid.class);
        assertThat(records).extracting(r -> r.kind() + " " + r.step()).containsExactly(
                "step.started fetch-index", "step.finished fetch-index",
                "step.started store-index", "step.finished store-index",
                "step.started store-index", "step.finished store-index",
                "step.started sample", "step.finished sample");
        assertThat(records).allMatch(r -> r.planId().equals("plan-1") && r.agentId().equals(PlanExecutorTest.AGENT));
        assertThat(records.get(0).data().get("network_acl").get("allow_domains").toString()).isEqualTo("[\"example.com\"]");
        assertThat(records.get(1).data().get("calls").get(0).get("value").get("status").asInt()).isEqualTo(200);
        assertThat(records.get(3).data().get("status").asString()).isEqualTo("FAILED");
        assertThat(records.get(3).data().get("failure").asString()).contains("guest connection lost");
    }

    @Test
    void largeCallValuesGoToHashedValueFilesThatChainVerifyChecks() throws Exception {
        var big = JsonNodeFactory.instance.stringNode("x".repeat(900_000));
        var other = JsonNodeFactory.instance.objectNode().put("text", "y".repeat(200_000));
        var small = JsonNodeFactory.instance.objectNode().put("n", 1);
        try (ChainStore chain = ChainStore.open(dir, ChainOptions.defaults())) {
            new ChainJournal(chain, PlanExecutorTest.AGENT, "plan-1").finished(new StepOutcome(0, "big", StepStatus.COMPLETED,
                    List.of(new CallOutcome("huge.a", small, CallResult.ok(big), Duration.ofMillis(5)),
                            new CallOutcome("huge.b", small, CallResult.ok(other), Duration.ofMillis(5)),
                            new CallOutcome("tiny", small, CallResult.ok(small), Duration.ofMillis(1))),
                    Duration.ofMillis(11), java.util.Optional.empty()));
        }
        List<ChainRecord> records = new ArrayList<>();
        assertThat(ChainVerifier.verify(dir, null, records::add)).isInstanceOf(VerifyReport.Valid.class);
        var calls = records.getFirst().data().get("calls");
        assertThat(calls.get(0).has("value")).isFalse();
        assertThat(calls.get(0).get("value_ref").get("bytes").asLong()).isEqualTo(900_002);
        assertThat(ValueFiles.read(dir, calls.get(0).get("value_ref"))).isEqualTo(big);
        assertThat(ValueFiles.read(dir, calls.get(1).get("value_ref"))).isEqualTo(other);
        assertThat(calls.get(2).get("value")).isEqualTo(small);
        assertThat(records.getFirst().data().get("value_files")).hasSize(2);

        String sha = calls.get(0).get("value_ref").get("sha256").asString();
        java.nio.file.Path file = dir.resolve("values").resolve(sha + ".json");
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[100] = 'z';
        java.nio.file.Files.write(file, bytes);
        VerifyReport tampered = ChainVerifier.verify(dir, null, r -> { });
        assertThat(tampered).isInstanceOf(VerifyReport.Invalid.class);
        assertThat(((VerifyReport.Invalid) tampered).reason()).contains("value file values/" + sha + ".json was altered");
        java.nio.file.Files.delete(file);
        assertThat(((VerifyReport.Invalid) ChainVerifier.verify(dir, null, r -> { })).reason()).contains("is missing");
    }
}
