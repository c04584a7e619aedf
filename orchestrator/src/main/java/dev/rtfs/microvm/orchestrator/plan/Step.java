package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One {@code (step "name" ^{:effects [...] :resources {...}} body…)} of a plan, in program order.
 *
 * @param index     0-based position in the plan (the workdir is {@code /tmp/agent/steps/<index>})
 * @param annotated the step wrote {@code :effects}; otherwise its effects come from its calls' contracts
 * @param declared  the written effect items (empty when not annotated)
 * @param calls     every {@code (call …)} in the body
 * @param maxTimeMs the step's own {@code :resources :max_time_ms}, if written
 */
public record Step(
        String name, int index, Span span, Span nameSpan, boolean annotated, List<DeclaredEffect> declared,
        List<CallSite> calls, OptionalLong maxTimeMs) {

    public Step {
        Objects.requireNonNull(name);
        Objects.requireNonNull(span);
        Objects.requireNonNull(nameSpan);
        declared = List.copyOf(declared);
        calls = List.copyOf(calls);
        Objects.requireNonNull(maxTimeMs);
    }

    /** The diagnostic path prefix: {@code steps.<name>}. */
    public String path() {
        return "steps." + name;
    }
}
