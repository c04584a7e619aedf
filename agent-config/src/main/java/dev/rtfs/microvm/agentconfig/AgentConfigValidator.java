package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.rtfslang.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Schema ({@link AgentConfigSchema}) and MicroVM policy ({@link MicroVmPolicy}) validation of an evaluated config value. */
public final class AgentConfigValidator {
    private AgentConfigValidator() {}

    /**
     * All problems at once, in {@link Diagnostic#ORDER}. Pure; never throws. Accepts
     * {@code TaggedValue("agent.config", ...)} (whose raw args give CONFIG_SHAPE / CONFIG_DUPLICATE_KEY) or a bare map.
     */
    public static ValidationResult validate(Value value) {
        List<Diagnostic> out = new ArrayList<>();
        SchemaWalker walker = new SchemaWalker(out);
        CheckedMap root = walker.walkRoot(value);
        if (root == null) return new ValidationResult(Optional.empty(), Optional.empty(), out);
        AgentConfig config = ModelBuilder.build(root);
        MicroVmPolicy.check(config, walker, out);
        // The one place a ValidatedConfig is made: after every rule ran, and only without errors.
        Optional<ValidatedConfig> validated = out.stream().anyMatch(Diagnostic::isError)
                ? Optional.empty() : Optional.of(new ValidatedConfig(config));
        return new ValidationResult(Optional.of(config), validated, out);
    }
}
