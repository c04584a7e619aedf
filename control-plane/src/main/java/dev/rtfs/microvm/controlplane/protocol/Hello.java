package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/**
 * First frame of a connection. {@code bootId} names one life of the sender: event sequence numbers are counted
 * per (agent, boot), so a guest restarted from a clean image starts again at 1 without colliding.
 */
public record Hello(String agentId, String bootId, long lastAckedSeq) implements GuestMessage {
    public static final String TYPE = "hello";

    public Hello {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(bootId, "bootId");
        if (lastAckedSeq < 0) throw new IllegalArgumentException("lastAckedSeq < 0");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
