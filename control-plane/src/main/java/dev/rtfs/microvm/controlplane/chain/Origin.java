package dev.rtfs.microvm.controlplane.chain;

import java.util.Objects;

/**
 * Where a record came from: the sender's stream ({@code agent_id/boot_id}) and its sequence number there. Stored in
 * the record so that, after any crash, the host can tell a sender exactly what is durable and drop resent
 * duplicates.
 */
public record Origin(String stream, long seq) {
    public Origin {
        Objects.requireNonNull(stream, "stream");
        if (seq < 1) throw new IllegalArgumentException("origin seq < 1");
    }

    public static String stream(String agentId, String bootId) {
        return agentId + "/" + bootId;
    }
}
