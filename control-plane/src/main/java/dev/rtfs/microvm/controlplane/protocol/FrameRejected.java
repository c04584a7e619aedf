package dev.rtfs.microvm.controlplane.protocol;

/** Thrown inside the decoder to unwind from a nested field check; never escapes {@link MessageCodec}. */
final class FrameRejected extends RuntimeException {
    private final ProtocolError error;

    FrameRejected(ProtocolError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    ProtocolError error() {
        return error;
    }
}
