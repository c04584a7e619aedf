package dev.rtfs.microvm.agentconfig.model;

/** {@code :orchestrator.dlp.policy}: {@code :strict | :lenient}. */
public enum DlpPolicy implements KeywordEnum {
    STRICT("strict"), LENIENT("lenient");

    private final String keyword;

    DlpPolicy(String keyword) { this.keyword = keyword; }

    @Override public String keyword() { return keyword; }
}
