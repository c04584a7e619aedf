package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.List;
import java.util.Optional;

/** {@code :marketplace {:registry_paths [...] :readonly bool}}. */
public record Marketplace(
        Optional<Located<List<Located<String>>>> registryPaths, Optional<Located<Boolean>> readonly, Span keySpan, Span span)
        implements Section {

    public Marketplace {
        registryPaths = Lists.copy(registryPaths);
    }
}
