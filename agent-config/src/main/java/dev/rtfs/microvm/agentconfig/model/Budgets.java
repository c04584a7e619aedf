package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Optional;

/** {@code :budgets {:max_cost_usd number :token_budget number}} (integers are widened to double). */
public record Budgets(Optional<Located<Double>> maxCostUsd, Optional<Located<Double>> tokenBudget, Span keySpan, Span span)
        implements Section {}
