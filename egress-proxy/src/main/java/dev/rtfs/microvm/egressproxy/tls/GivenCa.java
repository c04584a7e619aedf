package dev.rtfs.microvm.egressproxy.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads and checks an interception CA given as PEM files ({@link InterceptionCa#fromPem}). */
final class GivenCa {

    /** A PEM CA certificate or key is a few KiB; a larger file is refused unread. */
    static final int MAX_BYTES = 1 << 20;
    private static final int KEY_CERT_SIGN = 5;

    private GivenCa() {}

    static X509Certificate certificate(Path file) {
        Object o = firstObject(file, "certificate");
        if (!(o instanceof X509CertificateHolder holder)) {
            throw new IllegalArgumentException(file + ": not a PEM certificate (found "
                    + (o == null ? "nothing" : o.getClass().getSimpleName()) + ")");
        }
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(holder);
            cert.checkValidity();
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + ": the certificate is not usable now: " + e.getMessage(), e);
        }
        if (cert.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(file + ": not a CA certificate (basicConstraints has no CA:TRUE)");
        }
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && (usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN])) {
            throw new IllegalArgumentException(file + ": the CA certificate's keyUsage lacks keyCertSign");
        }
        return cert;
    }

    static PrivateKey privateKey(Path file) {
        Object o = firstObject(file, "private key");
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return switch (o) {
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null, default -> throw new IllegalArgumentException(file
                        + ": not an unencrypted PEM private key (PKCS#8 or EC/RSA PRIVATE KEY)");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": unreadable private key: " + e.getMessage(), e);
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    static void requireMatch(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            String alg = signatureAlgorithm(key);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            if (verifier.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a key of another type than the certificate's: the same answer as a wrong key
        }
        throw new IllegalArgumentException(keyFile + " is not the key of the CA certificate " + certFile);
    }

    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("a CA key must be EC or RSA, not " + key.getAlgorithm());
        };
    }

    private static Object firstObject(Path file, String what) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + ": larger than " + MAX_BYTES + " bytes for a " + what);
            }
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                    PEMParser p = new PEMParser(r)) {
                return p.readObject();
            }
        } catch (org.bouncycastle.openssl.PEMException e) {
            throw new IllegalArgumentException(file + ": not a valid PEM " + what, e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the " + what + ": " + e.getMessage(), e);
        }
    }
}
