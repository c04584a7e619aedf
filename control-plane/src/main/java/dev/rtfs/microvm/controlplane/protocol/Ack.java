package dev.rtfs.microvm.controlplane.protocol;

/** Every event of this (agent, boot) up to and including {@code seq} is durable in the causal chain. */
public record Ack(long seq) implements HostMessage {
    public static final String TYPE = "ack";

    public Ack {
        if (seq < 1) throw new IllegalArgumentException("seq < 1");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
