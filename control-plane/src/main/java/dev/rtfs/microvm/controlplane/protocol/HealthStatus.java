package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** Answer to {@link Health}: the host is serving and how far this connection's events are durable. */
public record HealthStatus(String status, long lastDurableSeq) implements HostMessage {
    public static final String TYPE = "health_status";

    public HealthStatus {
        Objects.requireNonNull(status, "status");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
