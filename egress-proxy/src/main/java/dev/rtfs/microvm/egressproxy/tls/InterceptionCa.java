package dev.rtfs.microvm.egressproxy.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The proxy's interception CA (egress-proxy/README.md, "TLS interception"): by default an EC P-256 key made when the
 * proxy starts and held only in this object's memory, never written (or one given as PEM files: {@link #fromPem}); only its certificate leaves (PEM, for the
 * client to trust). It signs short-lived leaf certificates, one per host name the proxy has already allowed, cached
 * in a bounded LRU. All leaves share one key pair made with the CA: minting a leaf is one signature, no key
 * generation. Thread-safe.
 */
public final class InterceptionCa {

    /** Leaves kept; past it the least recently used is dropped (and minted again when needed). */
    static final int MAX_LEAVES = 1024;
    static final Duration CA_VALIDITY = Duration.ofDays(7);
    static final Duration LEAF_VALIDITY = Duration.ofHours(24);
    /** A cached leaf this close to its end is minted again, so no handshake gets a leaf about to expire. */
    static final Duration LEAF_RENEW_BEFORE = Duration.ofHours(1);
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private record Leaf(SslContext context, Instant notAfter) {}

    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final KeyPair leafKeys;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Leaf> leaves = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Leaf> eldest) {
            return size() > MAX_LEAVES;
        }
    };
    private long minted;

    private InterceptionCa(KeyPair caKeys, X509Certificate caCert, KeyPair leafKeys) {
        this.caKeys = caKeys;
        this.caCert = caCert;
        this.leafKeys = leafKeys;
    }

    /** A new CA (new keys), valid from now for {@link #CA_VALIDITY}. */
    public static InterceptionCa create() {
        try {
            KeyPair ca = ecKeys();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=rtfs-microvm egress interception CA " + now.getEpochSecond());
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(new SecureRandom()),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), name, ca.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(ca.getPublic()));
            X509Certificate cert = sign(b, ca);
            return new InterceptionCa(ca, cert, ecKeys());
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot create the interception CA: " + e.getMessage(), e);
        }
    }

    /**
     * The CA given as PEM files (a kubernetes.io/tls Secret's {@code tls.crt} and {@code tls.key}), so that every proxy
     * of a cluster signs with the one CA the agents trust. The certificate must be a CA (basicConstraints CA, and
     * keyCertSign when it has a keyUsage), valid now, and the key must be its key (EC or RSA; PKCS#8 or the
     * traditional form). Any failure is an {@link IllegalArgumentException} saying which file and why.
     */
    public static InterceptionCa fromPem(Path certFile, Path keyFile) {
        X509Certificate cert = GivenCa.certificate(certFile);
        PrivateKey key = GivenCa.privateKey(keyFile);
        GivenCa.requireMatch(cert, key, certFile, keyFile);
        try {
            return new InterceptionCa(new KeyPair(cert.getPublicKey(), key), cert, ecKeys());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create the leaf keys: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return caCert;
    }

    /** The CA certificate as PEM (never the key): what a client adds to its trust store for this run. */
    public String certificatePem() {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(caCert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /**
     * The server-side TLS context for {@code host}, a normalized host name the proxy has already allowed (never an
     * IP literal, never unchecked guest input): a cached leaf, or a new one. ALPN offers h2 (preferred) and HTTP/1.1;
     * a client offering neither, or no ALPN at all, gets HTTP/1.1.
     */
    public synchronized SslContext serverContext(String host) {
        Instant now = Instant.now();
        Leaf cached = leaves.get(host);
        if (cached != null && cached.notAfter().minus(LEAF_RENEW_BEFORE).isAfter(now)) {
            return cached.context();
        }
        Leaf leaf = mint(host, now);
        leaves.put(host, leaf);
        return leaf.context();
    }

    /** Leaves minted since the proxy started (cache misses), for tests and metrics. */
    public synchronized long minted() {
        return minted;
    }

    private Leaf mint(String host, Instant now) {
        try {
            Instant notAfter = now.plus(LEAF_VALIDITY);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), new X500Name("CN=" + host),
                    leafKeys.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate leaf = sign(b, caKeys);
            SslContext ctx = SslContextBuilder.forServer(leafKeys.getPrivate(), leaf, caCert)
                    .sslProvider(TlsProvider.chosen())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
            minted++;
            return new Leaf(ctx, notAfter);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException | SSLException e) {
            throw new IllegalStateException("cannot mint a leaf for " + host + ": " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(GivenCa.signatureAlgorithm(signer.getPrivate()))
                        .build(signer.getPrivate())));
    }
}
