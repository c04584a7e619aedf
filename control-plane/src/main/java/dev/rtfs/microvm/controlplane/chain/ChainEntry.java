package dev.rtfs.microvm.controlplane.chain;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What an appender hands to the {@link ChainStore}; the store adds {@code seq}, {@code prev}, {@code ts} and
 * {@code hash}. {@code planId}, {@code step} and {@code origin} may be null.
 */
public record ChainEntry(String kind, String agentId, String planId, String step, JsonNode data, Origin origin) {
    public ChainEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(data, "data");
    }
}
