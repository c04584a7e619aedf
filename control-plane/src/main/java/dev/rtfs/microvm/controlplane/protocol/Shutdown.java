package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** Ask the guest to flush its outbox, wait for the last ack and power off. */
public record Shutdown(String reason) implements HostMessage {
    public static final String TYPE = "shutdown";

    public Shutdown {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
