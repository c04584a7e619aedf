package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.config.report.ReportFormat;
import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Optional;

/**
 * Shared by commands that print diagnostic reports: {@code --format text|json|sarif} parsing and the colour
 * decision ({@code --color auto|always|never}; auto = stdout is a terminal and NO_COLOR is unset).
 */
final class DiagnosticOutput {
    private DiagnosticOutput() {}

    static final String FORMATS = "text, json, sarif";

    static Optional<ReportFormat> format(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "text" -> Optional.of(ReportFormat.TEXT);
            case "json" -> Optional.of(ReportFormat.JSON);
            case "sarif" -> Optional.of(ReportFormat.SARIF);
            default -> Optional.empty();
        };
    }

    /** {@code --format text|json} of commands without SARIF output; empty (said on {@code err}) for anything else. */
    static Optional<ReportFormat> textOrJson(String name, PrintWriter err) {
        Optional<ReportFormat> chosen = format(name).filter(f -> f != ReportFormat.SARIF);
        if (chosen.isEmpty()) err.println("error: unknown --format '" + name + "' (expected text or json)");
        return chosen;
    }

    /** Null when {@code mode} is not auto/always/never. */
    static Boolean colour(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "always" -> true;
            case "never" -> false;
            case "auto" -> System.getenv("NO_COLOR") == null && stdoutIsTerminal();
            default -> null;
        };
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
