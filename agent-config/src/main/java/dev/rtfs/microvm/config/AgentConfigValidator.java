package dev.rtfs.microvm.config;

import dev.rtfs.microvm.lang.Value;
import java.util.List;
import java.util.Optional;

/** Schema (DESIGN §4) and MicroVM policy (DESIGN §5) validation of an evaluated config value. */
public final class AgentConfigValidator {
    private AgentConfigValidator() {}

    /** All problems at once, in {@link dev.rtfs.microvm.config.diag.Diagnostic#ORDER}. Pure; never throws. */
    public static ValidationResult validate(Value value) {
        return new ValidationResult(Optional.empty(), List.of());
    }
}
