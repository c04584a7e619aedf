package dev.rtfs.microvm.egressproxy.server;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * The short cause of a failed guest-side TLS handshake (an intercepted tunnel), for the {@code client-tls} record's
 * detail: {@code handshake: <cause>}. Bounded and free of the bytes the guest sent (Netty's not-a-record message
 * carries a hex dump of them).
 */
final class ClientTlsFailure {

    static final int MAX_CAUSE_CHARS = 160;

    private ClientTlsFailure() {}

    static String describe(Throwable cause, Duration handshakeTimeout) {
        Throwable c = cause;
        while (c instanceof DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        String why = switch (c) {
            case SslHandshakeTimeoutException t -> "not complete within " + handshakeTimeout;
            case ClosedChannelException closed -> "connection closed mid-handshake";
            case NotSslRecordException n -> "not a TLS record";
            default -> message(c);
        };
        return "handshake: " + why;
    }

    private static String message(Throwable c) {
        // The engine wraps the telling cause ("Received fatal alert: unknown_ca") in "Unexpected exception".
        Throwable telling = c;
        for (Throwable t = c.getCause(); t != null && t != telling; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                telling = t;
            }
        }
        String m = telling.getMessage();
        if (m == null || m.isBlank()) {
            return telling.getClass().getSimpleName();
        }
        String line = m.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_CAUSE_CHARS ? line : line.substring(0, MAX_CAUSE_CHARS) + "...";
    }
}
