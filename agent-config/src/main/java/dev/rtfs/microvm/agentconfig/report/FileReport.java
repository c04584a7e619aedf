package dev.rtfs.microvm.agentconfig.report;

import dev.rtfs.microvm.agentconfig.ConfigCheckResult;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diagnostics of one input file, sorted by {@link Diagnostic#ORDER}, with the source texts they point into
 * (the file itself and any loaded files) so renderers can show snippets.
 *
 * @param valid false when there is an error (or, under --warnings-as-errors, any diagnostic)
 */
public record FileReport(String file, boolean valid, List<Diagnostic> diagnostics, Map<String, SourceFile> sources) {

    public FileReport {
        diagnostics = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    public static FileReport of(String file, List<Diagnostic> diagnostics, Map<String, SourceFile> sources,
                                boolean warningsAsErrors) {
        boolean valid = diagnostics.stream().noneMatch(d -> d.isError() || warningsAsErrors);
        return new FileReport(file, valid, diagnostics, sources);
    }

    public static FileReport of(ConfigCheckResult result, boolean warningsAsErrors) {
        return of(result.file(), result.diagnostics(), result.sources(), warningsAsErrors);
    }

    public long errorCount() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public long warningCount() {
        return diagnostics.size() - errorCount();
    }
}
