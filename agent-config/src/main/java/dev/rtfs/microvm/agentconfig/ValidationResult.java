package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import java.util.List;
import java.util.Optional;

/**
 * What {@link AgentConfigValidator#validate} found in one evaluated value: the typed config (empty when the
 * value is not an agent config at all), the same config as a {@link ValidatedConfig} when there were no errors, and
 * every schema and policy diagnostic, sorted by {@link Diagnostic#ORDER}.
 */
public record ValidationResult(Optional<AgentConfig> config, Optional<ValidatedConfig> validated,
        List<Diagnostic> diagnostics) {
    public ValidationResult {
        diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
    }

    public boolean valid() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }
}
