package dev.rtfs.microvm.controlplane.protocol;

/** Answer to {@link Metrics}: what the host counted on this connection. */
public record MetricsReport(long framesAccepted, long framesRejected, long eventsDurable) implements HostMessage {
    public static final String TYPE = "metrics_report";

    @Override
    public String type() {
        return TYPE;
    }
}
