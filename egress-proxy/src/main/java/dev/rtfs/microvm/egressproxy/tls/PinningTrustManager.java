package dev.rtfs.microvm.egressproxy.tls;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies an origin with {@code delegate} (chain to a trusted CA, validity, and the host name the engine was made
 * for), then, when pins are configured, requires the leaf's SPKI SHA-256 ({@code sha256/BASE64}, curl's
 * {@code --pinnedpubkey} form) to be one of them. Only the leaf is pinned: a pin names the key the origin serves,
 * whatever CA vouches for it. The proxy is only ever a client here.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager delegate;
    private final List<String> pins;

    PinningTrustManager(X509ExtendedTrustManager delegate, List<String> pins) {
        this.delegate = delegate;
        this.pins = List.copyOf(pins);
    }

    /** {@code sha256/BASE64} of the certificate's SubjectPublicKeyInfo: the form of {@code tls_pins}, like curl's. */
    public static String spkiPin(X509Certificate cert) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return "sha256/" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void checkPin(X509Certificate[] chain) throws CertificateException {
        if (pins.isEmpty()) {
            return;
        }
        String actual = spkiPin(chain[0]);
        if (!pins.contains(actual)) {
            throw new PinMismatchException("origin key " + actual + " is not one of the " + pins.size()
                    + " tls_pins");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
        checkPin(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
        checkPin(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the origin's host name is unknown: refusing to verify without it");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the proxy's upstream side never verifies clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
