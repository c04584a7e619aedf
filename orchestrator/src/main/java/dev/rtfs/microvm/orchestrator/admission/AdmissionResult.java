package dev.rtfs.microvm.orchestrator.admission;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.orchestrator.plan.Plan;
import dev.rtfs.microvm.orchestrator.profile.StepProfile;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of admitting a plan: every diagnostic (sorted), and the step profiles in step order when the
 * plan was admitted (no errors), otherwise none.
 */
public record AdmissionResult(Optional<Plan> plan, List<Diagnostic> diagnostics, List<StepProfile> profiles) {

    public AdmissionResult {
        diagnostics = List.copyOf(diagnostics);
        profiles = List.copyOf(profiles);
    }

    public boolean admitted() {
        return plan.isPresent() && diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
}
