package dev.rtfs.microvm.controlplane.protocol;

import java.util.Objects;

/** The host rejected a frame or a request; {@code code} is one of {@link ProtocolError}'s wire codes. */
public record ErrorReply(String code, String message) implements HostMessage {
    public static final String TYPE = "error";

    public ErrorReply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String type() {
        return TYPE;
    }
}
