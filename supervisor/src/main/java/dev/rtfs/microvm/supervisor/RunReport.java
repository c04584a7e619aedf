package dev.rtfs.microvm.supervisor;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run ended. {@code refusals} are the diagnostics that stopped it before any VM started (invalid config,
 * plan not admitted, attestation failed); otherwise {@code steps} says what ran, {@code attempts} how many VM boots
 * it took, {@code accelerator} what QEMU used, {@code chain} the verification of the causal chain it wrote,
 * {@code problem} why the run could not finish (e.g. a guest that never booted, with the end of its log) and
 * {@code egress} the egress proxy's decisions for the agent, in the order it made them, as it handed them to the run
 * (each is also journaled in the chain as an {@code egress.decision} record).
 */
public record RunReport(
        String agentId, List<Diagnostic> refusals, List<StepOutcome> steps, int attempts, String accelerator,
        Optional<VerifyReport> chain, Path runDir, Optional<String> problem, List<DecisionRecord> egress) {

    public RunReport {
        Objects.requireNonNull(agentId);
        refusals = List.copyOf(refusals);
        steps = List.copyOf(steps);
        Objects.requireNonNull(accelerator);
        Objects.requireNonNull(chain);
        Objects.requireNonNull(runDir);
        Objects.requireNonNull(problem);
        egress = List.copyOf(egress);
    }

    /** The egress decisions made while step {@code name} ran. */
    public List<DecisionRecord> egressOf(String name) {
        return egress.stream().filter(d -> d.step().filter(name::equals).isPresent()).toList();
    }

    /** Every step completed (now or in an earlier attempt), nothing refused, and the chain verifies up to its signed head. */
    public boolean succeeded() {
        return refusals.isEmpty() && problem.isEmpty() && StepOutcome.allDone(steps)
                && chain.map(c -> c instanceof VerifyReport.Valid v && v.signed()).orElse(false);
    }
}
