package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.Value;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code (call :capability args)} form inside a step. {@code capability} is the keyword name
 * ("http.get"), or empty when the capability is not a literal keyword; {@code args} is the first argument and
 * {@code argCount} how many were written (contracts infer only from a call with a single argument).
 */
public record CallSite(Optional<String> capability, Optional<Value> args, int argCount, Span span) {

    public CallSite {
        Objects.requireNonNull(capability);
        Objects.requireNonNull(args);
        Objects.requireNonNull(span);
    }

    /** ":http.get" or "(non-literal capability)", for messages. */
    public String label() {
        return capability.map(c -> ":" + c).orElse("(non-literal capability)");
    }
}
