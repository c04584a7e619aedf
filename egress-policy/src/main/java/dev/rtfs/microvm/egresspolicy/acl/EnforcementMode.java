package dev.rtfs.microvm.egresspolicy.acl;

/** {@code enforce} answers denials; {@code report} logs what would be denied and lets the request through. */
public enum EnforcementMode {
    ENFORCE,
    REPORT;

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
