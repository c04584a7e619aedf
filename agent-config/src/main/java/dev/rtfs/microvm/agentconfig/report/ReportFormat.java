package dev.rtfs.microvm.agentconfig.report;

/** The output formats every command offers ({@code --format text|json|sarif}). */
public enum ReportFormat {
    TEXT, JSON, SARIF;

    /**
     * The report in this format, ending in a newline.
     *
     * @param color ANSI colour (text only); callers pass true only when stdout is a terminal
     */
    public String render(CheckReport report, boolean color) {
        return switch (this) {
            case TEXT -> TextRenderer.render(report, color);
            case JSON -> JsonRenderer.render(report);
            case SARIF -> SarifRenderer.render(report);
        };
    }
}
