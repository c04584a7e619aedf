package dev.rtfs.microvm.agentconfig.report;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.PrintableText;
import dev.rtfs.microvm.rtfslang.SourceSnippet;
import dev.rtfs.microvm.rtfslang.Span;

/**
 * rustc-style text:
 *
 * <pre>
 * error[MICROVM_VSOCK_CID]: vsock cid 2 is reserved (0 hypervisor, 1 loopback, 2 host)
 *  --> agent.rtfs:12:29
 *   |
 * 12 |   :vsock {:enabled true :cid 2}
 *   |                             ^
 *   = path: microvm.devices.vsock.cid
 *   = help: use a unique cid between 3 and 4294967294
 *   = note: via call.rtfs:1:1
 * </pre>
 *
 * followed by one summary line per file. ANSI colour only when asked for. Every text that may carry user input
 * (messages, paths, help, file names, the source line) goes through {@link PrintableText}: control, bidi and other
 * format characters are shown as {@code \\uXXXX} escapes, never sent to the terminal.
 */
final class TextRenderer {
    private TextRenderer() {}

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[1;33m";
    private static final String BLUE = "\u001b[1;34m";
    private static final String GREEN = "\u001b[1;32m";

    public static String render(CheckReport report, boolean color) {
        StringBuilder sb = new StringBuilder();
        for (FileReport f : report.files()) {
            for (Diagnostic d : f.diagnostics()) diagnostic(sb, d, f, color);
        }
        for (FileReport f : report.files()) summary(sb, f, color);
        return sb.toString();
    }

    private static void diagnostic(StringBuilder sb, Diagnostic d, FileReport f, boolean color) {
        String level = d.severity().label();
        sb.append(paint(color, d.isError() ? RED : YELLOW, level + "[" + d.code().name() + "]"))
                .append(paint(color, BOLD, ": " + PrintableText.of(d.message()))).append('\n');
        Span span = d.span();
        String gutter = " ".repeat(span.isKnown() ? Integer.toString(span.line()).length() : 0);
        String snippet = SourceSnippet.render(f.sources().get(span.source()), span, "");
        if (snippet.isEmpty()) snippet = gutter + "--> " + PrintableText.of(f.file()) + "\n";
        sb.append(color ? colourGutter(snippet) : snippet);
        String eq = gutter + " " + paint(color, BLUE, "=") + " ";
        if (!d.path().isEmpty()) sb.append(eq).append("path: ").append(PrintableText.of(d.path())).append('\n');
        if (!d.suggestion().isEmpty()) sb.append(eq).append("help: ").append(PrintableText.of(d.suggestion())).append('\n');
        sb.append(SourceSnippet.notes(d.via(), eq, "via"));
        sb.append('\n');
    }

    private static void summary(StringBuilder sb, FileReport f, boolean color) {
        long errors = f.errorCount();
        long warnings = f.warningCount();
        String counts = plural(errors, "error") + ", " + plural(warnings, "warning");
        if (f.valid()) sb.append(paint(color, GREEN, "ok")).append(": ").append(PrintableText.of(f.file())).append(" (").append(counts).append(")\n");
        else sb.append(paint(color, RED, "invalid")).append(": ").append(PrintableText.of(f.file())).append(" (").append(counts).append(")\n");
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    // The snippet's "-->" arrow and "|" gutter in blue, as rustc does.
    private static String colourGutter(String snippet) {
        StringBuilder out = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            if (line.isEmpty()) continue;
            int bar = line.indexOf(" |");
            int arrow = line.indexOf("--> ");
            if (arrow >= 0 && line.substring(0, arrow).isBlank()) {
                out.append(line, 0, arrow).append(BLUE).append("-->").append(RESET).append(line.substring(arrow + 3));
            } else if (bar >= 0) {
                out.append(BLUE).append(line, 0, bar + 2).append(RESET).append(line.substring(bar + 2));
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String paint(boolean color, String ansi, String text) {
        return color ? ansi + text + RESET : text;
    }
}
