package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
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
}
