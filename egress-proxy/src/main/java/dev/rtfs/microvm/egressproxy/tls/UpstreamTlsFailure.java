package dev.rtfs.microvm.egressproxy.tls;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why the proxy's TLS to an origin failed, as the one check that failed: {@code check} goes into the
 * {@code X-Egress-Denied: upstream-tls: <check>} header and the decision record, {@code detail} into the record.
 */
public record UpstreamTlsFailure(String check, String detail) {

    public static final String PIN_MISMATCH = "pin-mismatch";
    public static final String UNTRUSTED = "untrusted";
    public static final String HOSTNAME = "hostname";
    public static final String EXPIRED = "expired";
    public static final String HANDSHAKE = "handshake";
    /** {@code upstream_ca} or {@code client_cert} files cannot be read or parsed. */
    public static final String MATERIAL = "material";

    /** The origin refused the proxy's client certificate, or asked for one the proxy does not hold. */
    public static final String CLIENT_CERT = "client-cert";

    /** The check behind a TLS failure, from the exception's cause chain, the most specific check first. */
    public static UpstreamTlsFailure of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 16; t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof PinMismatchException) {
                return new UpstreamTlsFailure(PIN_MISMATCH, t.getMessage());
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v
                            && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                            || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return new UpstreamTlsFailure(EXPIRED, t.getMessage());
            }
        }
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no subject alternative") || m.contains("no name matching")) {
                return new UpstreamTlsFailure(HOSTNAME, t.getMessage());
            }
            if (m.contains("certificate_required") || m.contains("bad_certificate")) {
                return new UpstreamTlsFailure(CLIENT_CERT, t.getMessage());
            }
        }
        for (Throwable t : chain) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("unable to find valid certification path") || m.contains("pkix path")) {
                return new UpstreamTlsFailure(UNTRUSTED, t.getMessage());
            }
        }
        return new UpstreamTlsFailure(HANDSHAKE, String.valueOf(failure.getMessage()));
    }

    /** One line for a record and the denial body: {@code <check>: <detail>}. */
    public String describe() {
        return check + ": " + detail.replaceAll("[\\r\\n]+", " ");
    }
}
