package dev.rtfs.microvm.egressproxy.testing;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA made at test time, and server certificates it signs for loopback TLS origins. */
public final class TestCa {

    private final KeyPair caKeys;
    private final X509Certificate caCert;

    public TestCa() throws Exception {
        caKeys = keys();
        long now = System.currentTimeMillis();
        X500Name name = new X500Name("CN=rtfs-microvm test CA");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                new Date(now - 60_000), new Date(now + 86_400_000L), name, caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        caCert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    /** An SSLContext presenting a certificate for {@code dnsNames}, signed by this CA. */
    public SSLContext serverContext(String... dnsNames) throws Exception {
        return serverLeaf(dnsNames).context();
    }

    /** A server context and the {@code sha256/BASE64} SPKI pin of its leaf (curl's --pinnedpubkey form). */
    public record ServerLeaf(SSLContext context, String spkiPin) {}

    public ServerLeaf serverLeaf(String... dnsNames) throws Exception {
        long now = System.currentTimeMillis();
        return serverLeaf(new Date(now - 60_000), new Date(now + 86_400_000L), false, dnsNames);
    }

    /** A leaf whose validity ended an hour ago. */
    public ServerLeaf expiredServerLeaf(String... dnsNames) throws Exception {
        long now = System.currentTimeMillis();
        return serverLeaf(new Date(now - 7_200_000L), new Date(now - 3_600_000L), false, dnsNames);
    }

    /** A server that requires a client certificate signed by this CA. */
    public ServerLeaf mtlsServerLeaf(String... dnsNames) throws Exception {
        long now = System.currentTimeMillis();
        return serverLeaf(new Date(now - 60_000), new Date(now + 86_400_000L), true, dnsNames);
    }

    /** Writes a client certificate signed by this CA and its PKCS#8 key as PEM files: {cert, key}. */
    public Path[] writeClientCert(Path dir, String cn) throws Exception {
        KeyPair k = keys();
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, BigInteger.valueOf(now + 7),
                new Date(now - 60_000), new Date(now + 86_400_000L), new X500Name("CN=" + cn), k.getPublic());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        Path certPem = dir.resolve(cn + "-cert.pem");
        Path keyPem = dir.resolve(cn + "-key.pem");
        Files.writeString(certPem, pem(cert));
        Files.writeString(keyPem, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k.getPrivate(), null)));
        return new Path[] {certPem, keyPem};
    }

    private static String pem(Object o) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    private ServerLeaf serverLeaf(Date notBefore, Date notAfter, boolean needClientCert, String... dnsNames)
            throws Exception {
        KeyPair k = keys();
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, BigInteger.valueOf(now),
                notBefore, notAfter, new X500Name("CN=" + dnsNames[0]), k.getPublic());
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", k.getPrivate(), new char[0], new X509Certificate[] {cert, caCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), needClientCert ? trustManagers(caCert) : null, null);
        byte[] spki = java.security.MessageDigest.getInstance("SHA-256").digest(k.getPublic().getEncoded());
        return new ServerLeaf(ctx, "sha256/" + java.util.Base64.getEncoder().encodeToString(spki));
    }

    /** An SSLContext that trusts only this CA. */
    public SSLContext clientContext() throws Exception {
        return trustingOnly(caCert);
    }

    /** An SSLContext that trusts only the certificate in {@code pem} (say, a proxy's interception CA). */
    public static SSLContext trusting(String pem) throws Exception {
        return trustingOnly((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    }

    private static SSLContext trustingOnly(X509Certificate cert) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustManagers(cert), null);
        return ctx;
    }

    private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate cert) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    public Path writeCaPem(Path dir) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(caCert);
        }
        Path p = dir.resolve("test-ca.pem");
        Files.writeString(p, sw.toString());
        return p;
    }

    /** The CA's private key as PKCS#8 PEM (as a kubernetes.io/tls Secret's tls.key), to give a proxy this CA. */
    public Path writeCaKeyPem(Path dir) throws Exception {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(caKeys.getPrivate(), null));
        }
        Path p = dir.resolve("test-ca.key");
        Files.writeString(p, sw.toString());
        return p;
    }
}
