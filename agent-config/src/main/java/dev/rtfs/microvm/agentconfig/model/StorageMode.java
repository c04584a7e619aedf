package dev.rtfs.microvm.agentconfig.model;

/** {@code :causal_chain.storage.mode}: {@code :in_memory | :file}. */
public enum StorageMode implements KeywordEnum {
    IN_MEMORY("in_memory"), FILE("file");

    private final String keyword;

    StorageMode(String keyword) { this.keyword = keyword; }

    @Override public String keyword() { return keyword; }
}
