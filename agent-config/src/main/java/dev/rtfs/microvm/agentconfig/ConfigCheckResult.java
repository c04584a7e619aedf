package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of checking one config file.
 *
 * @param file        the file name as given (the {@link SourceFile#name()})
 * @param config      the typed config when the file evaluated to an agent config (possibly with errors: check
 *                    {@link #valid()} before trusting it); empty after a syntax/eval error or a non-config value
 * @param validated   the config when it has no errors: what synthesis takes
 * @param diagnostics every problem, sorted by {@link Diagnostic#ORDER}
 * @param sources     the source texts by name (the file and every {@code --load}ed file) for snippet rendering
 */
public record ConfigCheckResult(
        String file, Optional<AgentConfig> config, Optional<ValidatedConfig> validated, List<Diagnostic> diagnostics,
        Map<String, SourceFile> sources) {

    public ConfigCheckResult {
        diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    /** No errors (warnings allowed). */
    public boolean valid() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public boolean hasWarnings() {
        return diagnostics.stream().anyMatch(d -> !d.isError());
    }
}
