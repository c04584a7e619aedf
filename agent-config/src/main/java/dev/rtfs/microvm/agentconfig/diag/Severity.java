package dev.rtfs.microvm.agentconfig.diag;

public enum Severity {
    ERROR, WARNING;

    /** "error" / "warning", as written in every output format. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
