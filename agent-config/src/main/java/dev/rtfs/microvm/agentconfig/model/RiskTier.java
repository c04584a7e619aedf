package dev.rtfs.microvm.agentconfig.model;

/** {@code :governance.policies.<name>.risk_tier}: {@code :low | :medium | :high}. */
public enum RiskTier implements KeywordEnum {
    LOW("low"), MEDIUM("medium"), HIGH("high");

    private final String keyword;

    RiskTier(String keyword) { this.keyword = keyword; }

    @Override public String keyword() { return keyword; }
}
