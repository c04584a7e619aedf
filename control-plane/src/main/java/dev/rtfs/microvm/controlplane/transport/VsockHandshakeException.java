package dev.rtfs.microvm.controlplane.transport;

import java.io.IOException;

/** The VMM's vsock muxer did not answer {@code CONNECT <port>} with {@code OK <hostport>}. */
final class VsockHandshakeException extends IOException {
    public VsockHandshakeException(String message) {
        super(message);
    }
}
