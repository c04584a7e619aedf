package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.controlplane.protocol.CallDeterminism;
import dev.rtfs.microvm.controlplane.protocol.CallStep;
import dev.rtfs.microvm.orchestrator.plan.CallSite;
import dev.rtfs.microvm.orchestrator.plan.Plan;
import dev.rtfs.microvm.orchestrator.plan.Step;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Runs the steps of an admitted plan in order. Per step: journal the start, program the proxy with exactly the
 * step's ACL, send its calls one after the other within the step's time limit, put the proxy back to deny-all
 * (always, also when a call failed), journal the outcome. The first failed step ends the run; steps the journal
 * already has as completed are not run again, so a run restarted on a fresh VM continues where it stopped.
 */
final class PlanExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);

    private final GuestCalls guest;
    private final EgressSteps egress;
    private final StepJournal journal;
    private final Duration defaultStepTimeout;

    /** {@code defaultStepTimeout} bounds a step whose profile has no {@code max_time_ms}. */
    public PlanExecutor(GuestCalls guest, EgressSteps egress, StepJournal journal, Duration defaultStepTimeout) {
        this.guest = guest;
        this.egress = egress;
        this.journal = journal;
        this.defaultStepTimeout = defaultStepTimeout;
    }

    /** {@code profiles} are the admission's, one per step in plan order. */
    public List<StepOutcome> run(String agentId, Plan plan, List<StepProfile> profiles) {
        if (profiles.size() != plan.steps().size()) {
            throw new IllegalArgumentException("one profile per step: " + profiles.size() + " profiles for "
                    + plan.steps().size() + " steps");
        }
        Set<String> done = journal.completedSteps();
        List<StepOutcome> outcomes = new ArrayList<>();
        boolean failed = false;
        for (int i = 0; i < plan.steps().size(); i++) {
            Step step = plan.steps().get(i);
            if (failed) {
                outcomes.add(StepOutcome.skipped(i, step.name(), StepStatus.NOT_RUN));
            } else if (done.contains(step.name())) {
                LOG.info("step {} ({}) completed by an earlier attempt; not run again", i, step.name());
                outcomes.add(StepOutcome.skipped(i, step.name(), StepStatus.ALREADY_DONE));
            } else {
                StepOutcome o = runStep(agentId, step, profiles.get(i));
                outcomes.add(o);
                failed = o.status() == StepStatus.FAILED;
            }
        }
        return outcomes;
    }

    private StepOutcome runStep(String agentId, Step step, StepProfile profile) {
        if (!profile.step().equals(step.name()) || profile.index() != step.index()) {
            throw new IllegalArgumentException("profile " + profile.index() + " (" + profile.step()
                    + ") does not belong to step " + step.index() + " (" + step.name() + ")");
        }
        Duration limit = profile.limits().maxTimeMs().stream().mapToObj(Duration::ofMillis).findFirst()
                .orElse(defaultStepTimeout);
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        List<CallOutcome> calls = new ArrayList<>();
        Optional<String> failure = Optional.empty();
        journal.started(profile);
        egress.enter(agentId, profile.toAgentAcl(agentId));
        try {
            for (int k = 0; k < step.calls().size(); k++) {
                CallSite site = step.calls().get(k);
                Optional<CallDeterminism> det = CallContexts.of(profile, k);
                String capability = site.capability().orElseThrow(() ->
                        new IllegalArgumentException("step " + step.name() + ": " + site.label() + " was admitted"));
                JsonNode args = site.args().map(RtfsJson::toJson).orElseGet(JsonNodeFactory.instance::objectNode);
                long callStart = System.nanoTime();
                // The guest kills a user capability when the step's time is up (at least 1 ms: a call is always sent).
                long leftMs = Math.clamp((deadline - System.nanoTime()) / 1_000_000, 1, CallStep.MAX_TIME_LEFT_MS);
                CallResult result = await(guest.call(step.name(), capability, args, det, new CallStep(step.index(), leftMs)),
                        deadline, limit);
                calls.add(new CallOutcome(capability, args, result, Duration.ofNanos(System.nanoTime() - callStart), det));
                if (!result.ok()) {
                    failure = Optional.of(site.label() + ": " + result.error().orElseThrow());
                    break;
                }
            }
        } finally {
            egress.leave(agentId);
        }
        StepOutcome outcome = new StepOutcome(step.index(), step.name(),
                failure.isPresent() ? StepStatus.FAILED : StepStatus.COMPLETED, calls,
                Duration.ofNanos(System.nanoTime() - start), failure);
        journal.finished(outcome);
        return outcome;
    }

    /** The call's result, or a failed result when the step's time is up or the channel failed. */
    private static CallResult await(CompletableFuture<CallResult> pending, long deadline, Duration limit) {
        try {
            return pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false);
            return CallResult.failed("step time limit of " + limit.toMillis() + " ms reached");
        } catch (ExecutionException e) {
            return CallResult.failed("the call could not complete: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallResult.failed("interrupted");
        }
    }
}
