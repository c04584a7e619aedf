package dev.rtfs.microvm.agentconfig.diag;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One problem found in RTFS input, shared by config validation, plan admission, spec synthesis
 * and deploy checks so that every command renders problems the same way.
 *
 * @param code       stable typed code, e.g. {@link ConfigCode#MICROVM_ROOTFS_RW}; renderers print its name (users
 *                   script against it)
 * @param path       keyword names joined by '.', as written ("microvm.devices.vsock.cid"); "" for the whole input
 * @param suggestion how to fix it; "" when there is nothing useful to say
 * @param span       where: file, line, column (Span.NONE when the problem has no position)
 * @param via        call sites (innermost first) when the offending value came out of a macro
 */
public record Diagnostic(
        Severity severity, DiagnosticCode code, String path, String message, String suggestion, Span span, List<Span> via) {

    /** Deterministic report order: file, line, column, code (then path and message to break ties). */
    public static final Comparator<Diagnostic> ORDER = Comparator
            .comparing((Diagnostic d) -> d.span().source())
            .thenComparingInt(d -> d.span().line())
            .thenComparingInt(d -> d.span().column())
            .thenComparing(d -> d.code().name())
            .thenComparing(Diagnostic::path)
            .thenComparing(Diagnostic::message);

    public Diagnostic {
        Objects.requireNonNull(severity);
        Objects.requireNonNull(code);
        Objects.requireNonNull(path);
        Objects.requireNonNull(message);
        Objects.requireNonNull(suggestion);
        Objects.requireNonNull(span);
        via = List.copyOf(via);
    }

    public static Diagnostic error(DiagnosticCode code, String path, String message, String suggestion, Span span) {
        return new Diagnostic(Severity.ERROR, code, path, message, suggestion, span, span.via());
    }

    public static Diagnostic warning(DiagnosticCode code, String path, String message, String suggestion, Span span) {
        return new Diagnostic(Severity.WARNING, code, path, message, suggestion, span, span.via());
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
