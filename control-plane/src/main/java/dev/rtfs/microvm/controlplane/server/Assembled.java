package dev.rtfs.microvm.controlplane.server;

import tools.jackson.databind.JsonNode;

/** What a chunked result came to: its value, or why it was refused. */
sealed interface Assembled {
    record Value(JsonNode value) implements Assembled {}

    record Refused(String problem) implements Assembled {}
}
