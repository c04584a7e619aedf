package dev.rtfs.microvm.agentconfig.model;

/** {@code :network.egress.via}: {@code :proxy | :none}. */
public enum EgressVia implements KeywordEnum {
    PROXY("proxy"), NONE("none");

    private final String keyword;

    EgressVia(String keyword) { this.keyword = keyword; }

    @Override public String keyword() { return keyword; }
}
