package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Shared by commands that print diagnostic reports: {@code --format text|json|sarif} parsing and the colour
 * decision ({@code --color auto|always|never}; auto = stdout is a terminal and NO_COLOR is unset).
 */
final class DiagnosticOutput {
    private DiagnosticOutput() {}

    static final String FORMATS = "text, json, sarif";

    /** {@code --format text|json|sarif}; anything else is a usage error. */
    static ReportFormat reportFormat(String name) {
        return format(name).orElseThrow(() ->
                new UsageException("unknown --format '" + name + "' (expected " + FORMATS + ")"));
    }

    static Optional<ReportFormat> format(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "text" -> Optional.of(ReportFormat.TEXT);
            case "json" -> Optional.of(ReportFormat.JSON);
            case "sarif" -> Optional.of(ReportFormat.SARIF);
            default -> Optional.empty();
        };
    }

    /** {@code --format text|json} of commands without SARIF output; anything else is a usage error. */
    static ReportFormat textOrJson(String name) {
        return format(name).filter(f -> f != ReportFormat.SARIF).orElseThrow(() ->
                new UsageException("unknown --format '" + name + "' (expected text or json)"));
    }

    /** {@code --color auto|always|never}; anything else is a usage error. */
    static boolean colour(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "always" -> true;
            case "never" -> false;
            case "auto" -> System.getenv("NO_COLOR") == null && stdoutIsTerminal();
            default -> throw new UsageException("unknown --color '" + mode + "' (expected auto, always or never)");
        };
    }

    /** Prints {@code files} (the reports of a refused input) in {@code format}; exit 1. */
    static int printRefused(PrintWriter out, ReportFormat format, List<FileReport> files) {
        out.print(format.render(new CheckReport(files), false));
        out.flush();
        return Main.FAILED;
    }

    // JDK 22+ returns a Console even when redirected and says so with isTerminal(); on 21 a Console means a TTY.
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
