package dev.rtfs.microvm.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.ConfigLoader;
import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.orchestrator.admission.Admission;
import dev.rtfs.microvm.orchestrator.admission.AdmissionResult;
import dev.rtfs.microvm.orchestrator.admission.AgentPolicy;
import dev.rtfs.microvm.orchestrator.plan.PlanReader;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The executor over the real pure core: the docs' example config and plan are read, validated and admitted, then
 * run against a scripted guest, a proxy recorder and an in-memory journal.
 */
class PlanExecutorTest {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    static final String AGENT = "agent.microvm.example";

    /** The proxy as a log: "enter <step domains>" / "leave", and the ACL in force right now. */
    static final class EgressLog implements EgressSteps {
        final List<String> log = new ArrayList<>();
        Optional<AgentAcl> current = Optional.empty();

        @Override
        public void enter(String agentId, AgentAcl acl) {
            assertThat(current).as("entered a step while another step's ACL was still set").isEmpty();
            current = Optional.of(acl);
            log.add("enter " + acl.allowDomains());
        }

        @Override
        public void leave(String agentId) {
            current = Optional.empty();
            log.add("leave");
        }
    }

    static final class MemoryJournal implements StepJournal {
        final Set<String> completed = new HashSet<>();
        final List<String> log = new ArrayList<>();

        @Override
        public Set<String> completedSteps() {
            return Set.copyOf(completed);
        }

        @Override
        public void started(StepProfile p) {
            log.add("started " + p.step());
        }

        @Override
        public void finished(StepOutcome o) {
            log.add("finished " + o.name() + " " + o.status());
            if (o.status() == StepStatus.COMPLETED) {
                completed.add(o.name());
            }
        }
    }

    /** A guest that answers by a function of (step, capability, args) and logs every call with the ACL in force. */
    static final class ScriptedGuest implements GuestCalls {
        final EgressLog egress;
        final Function<String, CompletableFuture<CallResult>> answer;
        final List<String> log = new ArrayList<>();
        final List<Optional<CallDeterminism>> dets = new ArrayList<>();

        ScriptedGuest(EgressLog egress, Function<String, CompletableFuture<CallResult>> answer) {
            this.egress = egress;
            this.answer = answer;
        }

        @Override
        public CompletableFuture<CallResult> call(String step, String capability, JsonNode args,
                Optional<CallDeterminism> det) {
            dets.add(det);
            log.add(step + " " + capability + " " + args + " acl=" + egress.current.map(AgentAcl::allowDomains).orElse(null));
            return answer.apply(step);
        }
    }

    static AdmissionResult admitted(String planText) throws Exception {
        Path configFile = ROOT.resolve("docs/examples/agent.config.microvm.rtfs");
        ConfigCheckResult config = ConfigLoader.load(List.of(), new SourceFile(configFile.toString(), Files.readString(configFile)));
        assertThat(config.config()).as(config.diagnostics().toString()).isPresent();
        AdmissionResult r = Admission.admit(PlanReader.read(new SourceFile("plan.rtfs", planText)),
                AgentPolicy.from(config.config().get()));
        assertThat(r.admitted()).as(r.diagnostics().toString()).isTrue();
        return r;
    }

    static AdmissionResult examplePlan() throws Exception {
        return admitted(Files.readString(ROOT.resolve("docs/examples/plan.networked.rtfs")));
    }

    static CompletableFuture<CallResult> ok(String v) {
        return CompletableFuture.completedFuture(CallResult.ok(JsonNodeFactory.instance.stringNode(v)));
    }

    @Test
    void eachCallRunsUnderItsOwnStepsAclAndTheProxyIsDenyAllBetweenSteps() throws Exception {
        AdmissionResult plan = examplePlan();
        EgressLog egress = new EgressLog();
        MemoryJournal journal = new MemoryJournal();
        ScriptedGuest guest = new ScriptedGuest(egress, step -> ok("done " + step));
        List<StepOutcome> outcomes = new PlanExecutor(guest, egress, journal, Duration.ofSeconds(5))
                .run(AGENT, plan.plan().orElseThrow(), plan.profiles());

        assertThat(outcomes).extracting(StepOutcome::status)
                .containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED, StepStatus.COMPLETED);
        assertThat(guest.log).containsExactly(
                "fetch-index http.get {\"url\":\"https://example.com/index.json\"} acl=[example.com]",
                "store-index fs.write {\"path\":\"/tmp/agent/steps/1/index.json\",\"content\":\"{}\"} acl=[]",
                "sample random.int {\"max\":100} acl=[]");
        assertThat(egress.log).containsExactly("enter [example.com]", "leave", "enter []", "leave", "enter []", "leave");
        assertThat(egress.current).as("deny-all after the run").isEmpty();
        assertThat(journal.log).containsExactly("started fetch-index", "finished fetch-index COMPLETED",
                "started store-index", "finished store-index COMPLETED", "started sample", "finished sample COMPLETED");
        assertThat(outcomes.getFirst().calls().getFirst().result().value().orElseThrow().asString())
                .isEqualTo("done fetch-index");
    }

    @Test
    void aRestartedRunSkipsWhatTheJournalHasCompleted() throws Exception {
        AdmissionResult plan = examplePlan();
        EgressLog egress = new EgressLog();
        MemoryJournal journal = new MemoryJournal();
        journal.completed.addAll(List.of("fetch-index", "store-index"));
        ScriptedGuest guest = new ScriptedGuest(egress, step -> ok("x"));
        List<StepOutcome> outcomes = new PlanExecutor(guest, egress, journal, Duration.ofSeconds(5))
                .run(AGENT, plan.plan().orElseThrow(), plan.profiles());

        assertThat(outcomes).extracting(StepOutcome::status)
                .containsExactly(StepStatus.ALREADY_DONE, StepStatus.ALREADY_DONE, StepStatus.COMPLETED);
        assertThat(guest.log).hasSize(1).allMatch(l -> l.startsWith("sample "));
        assertThat(egress.log).containsExactly("enter []", "leave");
    }

    @Test
    void aFailedCallEndsTheRunAndStillPutsTheProxyBackToDenyAll() throws Exception {
        AdmissionResult plan = examplePlan();
        EgressLog egress = new EgressLog();
        MemoryJournal journal = new MemoryJournal();
        ScriptedGuest guest = new ScriptedGuest(egress, step -> step.equals("store-index")
                ? CompletableFuture.completedFuture(CallResult.failed("disk full")) : ok("x"));
        List<StepOutcome> outcomes = new PlanExecutor(guest, egress, journal, Duration.ofSeconds(5))
                .run(AGENT, plan.plan().orElseThrow(), plan.profiles());

        assertThat(outcomes).extracting(StepOutcome::status)
                .containsExactly(StepStatus.COMPLETED, StepStatus.FAILED, StepStatus.NOT_RUN);
        assertThat(outcomes.get(1).failure()).contains(":fs.write: disk full");
        assertThat(guest.log).hasSize(2);
        assertThat(egress.log).containsExactly("enter [example.com]", "leave", "enter []", "leave");
        assertThat(journal.completed).containsExactly("fetch-index");
        assertThat(journal.log).contains("finished store-index FAILED").doesNotContain("started sample");
    }

    @Test
    void aGuestThatNeverAnswersFailsTheStepAtItsTimeLimit() throws Exception {
        AdmissionResult plan = admitted("""
                (plan ^{:effects [[:network {:domains ["example.com"] :methods [:GET]}]] :resources {:max_time_ms 300}}
                  :program (do (step "slow" (call :http.get {:url "https://example.com/slow"}))
                               (step "after" (call :echo {:text "never"}))))
                """);
        EgressLog egress = new EgressLog();
        MemoryJournal journal = new MemoryJournal();
        CompletableFuture<CallResult> never = new CompletableFuture<>();
        ScriptedGuest guest = new ScriptedGuest(egress, step -> never);
        long start = System.nanoTime();
        List<StepOutcome> outcomes = new PlanExecutor(guest, egress, journal, Duration.ofSeconds(30))
                .run(AGENT, plan.plan().orElseThrow(), plan.profiles());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(outcomes).extracting(StepOutcome::status).containsExactly(StepStatus.FAILED, StepStatus.NOT_RUN);
        assertThat(outcomes.getFirst().failure()).hasValueSatisfying(f -> assertThat(f).contains("300 ms"));
        assertThat(never).as("the abandoned call is cancelled").isCancelled();
        assertThat(egress.current).isEmpty();
    }
}
