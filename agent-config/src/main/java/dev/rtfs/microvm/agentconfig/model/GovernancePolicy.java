package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** One {@code :governance.policies.<name>} entry. */
public record GovernancePolicy(
        String name,
        Optional<Located<RiskTier>> riskTier,
        Optional<Located<Long>> requiresApprovals,
        Optional<Budgets> budgets,
        Span keySpan,
        Span span) implements Section {}
