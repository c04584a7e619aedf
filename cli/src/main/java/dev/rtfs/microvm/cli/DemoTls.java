package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.egressproxy.tls.PinningTrustManager;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's TLS: a CA made for one work directory (valid for a day; its key never leaves this process) and the
 * leaf it signs for the demo origin's names. The demo gives the CA certificate to the intercepting egress proxy as
 * the run's upstream CA (the guest trusts the proxy's per-run CA instead); tests that tunnel put it in an image
 * ({@code image build --ca-cert}) so the guest trusts the origin itself.
 */
final class DemoTls {

    private final X509Certificate caCert;
    private final KeyPair leafKeys;
    private final X509Certificate leafCert;

    private DemoTls(X509Certificate caCert, KeyPair leafKeys, X509Certificate leafCert) {
        this.caCert = caCert;
        this.leafKeys = leafKeys;
        this.leafCert = leafCert;
    }

    /** A new CA and a leaf for {@code dnsNames} (EC P-256, SHA-256). */
    static DemoTls create(String... dnsNames) throws IOException {
        try {
            long now = System.currentTimeMillis();
            Date from = new Date(now - 60_000);
            Date to = new Date(now + 86_400_000L);
            KeyPair ca = keys();
            X500Name caName = new X500Name("CN=rtfs-microvm demo CA");
            JcaX509v3CertificateBuilder c = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName,
                    ca.getPublic());
            c.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            c.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCert = sign(c, ca);

            KeyPair leaf = keys();
            JcaX509v3CertificateBuilder l = new JcaX509v3CertificateBuilder(caCert, BigInteger.TWO, from, to,
                    new X500Name("CN=" + dnsNames[0]), leaf.getPublic());
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            l.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return new DemoTls(caCert, leaf, sign(l, ca));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IOException("cannot make the demo's test CA: " + e.getMessage(), e);
        }
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    /** Writes the CA certificate (PEM) to {@code file}: what {@code image build --ca-cert} takes. */
    Path writeCaPem(Path file) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(caCert);
        }
        return Files.writeString(file, sw.toString());
    }

    /** The server side: the leaf and the CA as its chain. */
    SSLContext serverContext() throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("origin", leafKeys.getPrivate(), new char[0], new X509Certificate[] {leafCert, caCert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the demo origin's TLS: " + e.getMessage(), e);
        }
    }

    /** The leaf's pin as a config's {@code :tls_pins} writes it: {@code sha256/} + base64 of the SPKI's sha256. */
    String leafPin() {
        return PinningTrustManager.spkiPin(leafCert);
    }
}
