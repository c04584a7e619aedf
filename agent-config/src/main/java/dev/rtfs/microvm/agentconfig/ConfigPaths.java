package dev.rtfs.microvm.agentconfig;

/** What the schema pass learned about paths, for the policy pass (canonical paths, '.'-joined). */
interface ConfigPaths {
    /** The path as the user wrote it (aliases kept). */
    String written(String canonicalPath);

    /** The field, or a map around it, was written but rejected by the schema (so it is not "missing"). */
    boolean rejected(String canonicalPath);
}
