package dev.rtfs.microvm.agentconfig.model;

/** {@code :orchestrator.isolation.mode}: {@code :wasm | :container | :microvm}. */
public enum IsolationMode implements KeywordEnum {
    WASM("wasm"), CONTAINER("container"), MICROVM("microvm");

    private final String keyword;

    IsolationMode(String keyword) { this.keyword = keyword; }

    @Override public String keyword() { return keyword; }
}
