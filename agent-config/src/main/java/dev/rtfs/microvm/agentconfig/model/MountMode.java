package dev.rtfs.microvm.agentconfig.model;

/** {@code :orchestrator.isolation.fs.mounts.<name>.mode}: {@code :ro | :rw}. */
public enum MountMode implements KeywordEnum {
    RO("ro"), RW("rw");

    private final String keyword;

    MountMode(String keyword) { this.keyword = keyword; }

    @Override public String keyword() { return keyword; }
}
