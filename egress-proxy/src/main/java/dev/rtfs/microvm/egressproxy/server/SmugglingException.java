package dev.rtfs.microvm.egressproxy.server;

/** A request whose framing two parsers could read differently (CL+TE, conflicting lengths). */
final class SmugglingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SmugglingException(String message) {
        super(message, null, false, false);
    }
}
