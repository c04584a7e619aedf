package dev.rtfs.microvm.controlplane.protocol;

/** Reply to {@link Hello}: every event of this (agent, boot) up to {@code lastDurableSeq} is durable on the host. */
public record Welcome(long lastDurableSeq) implements HostMessage {
    public static final String TYPE = "welcome";

    public Welcome {
        if (lastDurableSeq < 0) throw new IllegalArgumentException("lastDurableSeq < 0");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
