package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import java.util.List;
import java.util.Optional;

/** What {@link PlanReader} found: the plan (absent when there is no recognizable plan form) and every problem. */
public record PlanReading(Optional<Plan> plan, List<Diagnostic> diagnostics) {
    public PlanReading {
        diagnostics = List.copyOf(diagnostics);
    }
}
