package dev.rtfs.microvm.controlplane.protocol;

/** Liveness probe from the guest; the host answers with {@link HealthStatus}. */
public record Health() implements GuestMessage {
    public static final String TYPE = "health";

    @Override
    public String type() {
        return TYPE;
    }
}
