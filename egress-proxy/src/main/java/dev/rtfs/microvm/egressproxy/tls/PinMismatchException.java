package dev.rtfs.microvm.egressproxy.tls;

import java.security.cert.CertificateException;

/** The origin's chain is trusted but its leaf's SPKI is not among the configured {@code tls_pins}. */
final class PinMismatchException extends CertificateException {

    private static final long serialVersionUID = 1L;

    PinMismatchException(String message) {
        super(message);
    }
}
