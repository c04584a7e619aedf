package dev.rtfs.microvm.egresspolicy.decision;

/** ALLOW: within policy. DENY: refused. REPORT: outside policy but let through because the proxy is in report mode. */
public enum Outcome {
    ALLOW,
    DENY,
    REPORT
}
