package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;

/**
 * A map-valued part of the config. {@link #span()} is the map as written; {@link #keySpan()} is the key that
 * introduced it (e.g. {@code :microvm}), where "required field missing" problems point. For the root config
 * both are the config value's span.
 */
public interface Section {
    Span keySpan();

    Span span();
}
