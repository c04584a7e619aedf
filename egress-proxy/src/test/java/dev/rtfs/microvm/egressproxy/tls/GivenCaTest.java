package dev.rtfs.microvm.egressproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ca-cert/--ca-key}: a given CA signs the leaves; a wrong key or a non-CA certificate is refused. */
class GivenCaTest {

    @TempDir Path tmp;

    static KeyPair keys(String alg, int size) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        g.initialize(size);
        return g.generateKeyPair();
    }

    static X509Certificate cert(KeyPair k, boolean ca, String sigAlg) throws Exception {
        X500Name name = new X500Name("CN=test cluster egress CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), name, k.getPublic());
        b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(sigAlg).build(k.getPrivate())));
    }

    Path pem(String name, Object o) throws Exception {
        if (o instanceof java.security.PrivateKey k) {
            o = new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null); // PKCS#8, as openssl genpkey writes
        }
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return Files.writeString(tmp.resolve(name), w.toString());
    }

    @Test
    void leavesAreSignedByTheGivenEcCa() throws Exception {
        KeyPair k = keys("EC", 256);
        X509Certificate caCert = cert(k, true, "SHA256withECDSA");
        InterceptionCa ca = InterceptionCa.fromPem(pem("tls.crt", caCert), pem("tls.key", k.getPrivate()));
        assertThat(ca.certificate()).isEqualTo(caCert);
        assertThat(ca.serverContext("api.example")).isNotNull();
        assertThat(ca.minted()).isEqualTo(1);
    }

    @Test
    void anRsaCaWorksToo() throws Exception {
        KeyPair k = keys("RSA", 2048);
        Path key = pem("tls.key", k.getPrivate());
        InterceptionCa ca = InterceptionCa.fromPem(pem("tls.crt", cert(k, true, "SHA256withRSA")), key);
        assertThat(ca.serverContext("api.example")).isNotNull();
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        KeyPair k = keys("EC", 256);
        Path crt = pem("tls.crt", cert(k, true, "SHA256withECDSA"));
        Path other = pem("other.key", keys("EC", 256).getPrivate());
        assertThatThrownBy(() -> InterceptionCa.fromPem(crt, other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not the key of the CA certificate");
        Path rsa = pem("rsa.key", keys("RSA", 2048).getPrivate());
        assertThatThrownBy(() -> InterceptionCa.fromPem(crt, rsa)).hasMessageContaining("is not the key");
    }

    @Test
    void aCertificateThatIsNotACaIsRefused() throws Exception {
        KeyPair k = keys("EC", 256);
        assertThatThrownBy(() -> InterceptionCa.fromPem(pem("leaf.crt", cert(k, false, "SHA256withECDSA")),
                pem("tls.key", k.getPrivate()))).hasMessageContaining("not a CA certificate");
    }

    @Test
    void anUnreadableOrNonPemFileIsRefusedNamingIt() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.crt"), "hello");
        assertThatThrownBy(() -> InterceptionCa.fromPem(garbage, garbage)).hasMessageContaining("garbage.crt");
        assertThatThrownBy(() -> InterceptionCa.fromPem(tmp.resolve("missing.crt"), garbage))
                .hasMessageContaining("missing.crt");
    }
}
