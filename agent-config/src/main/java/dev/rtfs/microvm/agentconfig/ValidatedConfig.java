package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import java.util.Objects;

/**
 * An {@link AgentConfig} whose validation (schema and {@link MicroVmPolicy}) found no errors. Only validation
 * constructs one ({@link AgentConfigValidator#validate}, {@link ConfigLoader#load}, as
 * {@link ValidationResult#validated()} / {@link ConfigCheckResult#validated()}), so code that takes this type, such as
 * vmm's spec synthesis, reads the MicroVM limits as checked and never re-checks them: each rule has one owner.
 */
public final class ValidatedConfig {

    private final AgentConfig config;

    ValidatedConfig(AgentConfig config) {
        this.config = Objects.requireNonNull(config);
    }

    /** The typed config; every rule of validation holds for it. */
    public AgentConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "ValidatedConfig[" + config.agentIdValue().orElse("?") + "]";
    }
}
