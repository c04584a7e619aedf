package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.rtfslang.Rtfs;
import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read + evaluate + validate one config file. Never throws for bad input: syntax and evaluation errors become
 * {@code RTFS_SYNTAX} / {@code RTFS_EVAL} diagnostics.
 */
public final class ConfigLoader {

    private final ConfigEvaluator evaluator;

    public ConfigLoader(ConfigEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /** The loader over the real RTFS evaluator. */
    public static ConfigLoader standard() {
        return new ConfigLoader(Rtfs::evaluate);
    }

    /** {@code standard().check(loads, file)}. */
    public static ConfigCheckResult load(List<SourceFile> loads, SourceFile file) {
        return standard().check(loads, file);
    }

    public ConfigCheckResult check(List<SourceFile> loads, SourceFile file) {
        Map<String, SourceFile> sources = new LinkedHashMap<>();
        for (SourceFile l : loads) sources.put(l.name(), l);
        sources.put(file.name(), file);
        Value value;
        try {
            value = evaluator.evaluate(loads, file);
        } catch (RtfsException e) {
            return new ConfigCheckResult(file.name(), Optional.empty(), Optional.empty(),
                    placed(List.of(fromException(e)), file), sources);
        }
        ValidationResult r = AgentConfigValidator.validate(value);
        return new ConfigCheckResult(file.name(), r.config(), r.validated(), placed(r.diagnostics(), file), sources);
    }

    // A problem without a position (a value computed from nothing) is reported at the top of the checked file.
    private static List<Diagnostic> placed(List<Diagnostic> diagnostics, SourceFile file) {
        Span top = new Span(file.name(), 0, 1, 1, 0);
        return diagnostics.stream().map(d -> d.span().isKnown() ? d
                : new Diagnostic(d.severity(), d.code(), d.path(), d.message(), d.suggestion(), top, d.via())).toList();
    }

    static Diagnostic fromException(RtfsException e) {
        String message = e.getMessage() == null ? e.code() : e.getMessage();
        RtfsCode code = RtfsCode.of(e);
        String help = code == RtfsCode.RTFS_SYNTAX ? "fix the syntax at this position" : "";
        return new Diagnostic(dev.rtfs.microvm.agentconfig.diag.Severity.ERROR, code, "", message, help, e.span(),
                e.stack().isEmpty() ? e.span().via() : e.stack());
    }
}
