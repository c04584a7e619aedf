package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 anchors (JDK provider): a signature over "rtfs-chain-anchor\n{seq}\n{hash}" pins the chain head, so a
 * rewritten chain (even with recomputed hashes) is detected by anyone holding the public key.
 */
public final class AnchorSigner {
    public static final String KIND = "chain.anchor";
    private static final String ALGORITHM = "Ed25519";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    public AnchorSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static AnchorSigner generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new AnchorSigner(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK >= 15", e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** First 16 hex digits of sha256 over the X.509 encoding of the public key. */
    public static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(RecordFormat.sha256().digest(key.getEncoded())).substring(0, 16);
    }

    public String sign(long seq, String hash) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(payload(seq, hash));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public static boolean verify(PublicKey key, long seq, String hash, String signatureBase64) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(payload(seq, hash));
            return s.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] payload(long seq, String hash) {
        return ("rtfs-chain-anchor\n" + seq + "\n" + hash).getBytes(StandardCharsets.US_ASCII);
    }

    /** Signs the chain head kept in {@code HEAD}; its own payload prefix, so an anchor signature is never a head's. */
    public String signHead(long seq, String hash) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(privateKey);
            s.update(headPayload(seq, hash));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public static boolean verifyHead(PublicKey key, long seq, String hash, String signatureBase64) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(headPayload(seq, hash));
            return s.verify(Base64.getDecoder().decode(signatureBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] headPayload(long seq, String hash) {
        return ("rtfs-chain-head\n" + seq + "\n" + hash).getBytes(StandardCharsets.US_ASCII);
    }

    /** PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo). */
    public static String publicKeyPem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public static PublicKey readPublicKey(Path pem) throws IOException {
        try {
            byte[] der = pemBody(Files.readString(pem), "PUBLIC KEY");
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pem + ": not an Ed25519 PEM public key (" + e.getMessage() + ")", e);
        }
    }

    /** PEM "PRIVATE KEY" (PKCS#8). */
    String privateKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** Loads a PEM "PRIVATE KEY" (PKCS#8) and its PEM public key. */
    public static AnchorSigner read(Path privatePem, Path publicPem) throws IOException {
        try {
            byte[] der = pemBody(Files.readString(privatePem), "PRIVATE KEY");
            PrivateKey priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
            return new AnchorSigner(priv, readPublicKey(publicPem));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(privatePem + ": not an Ed25519 PEM private key (" + e.getMessage() + ")", e);
        }
    }

    /** Both keys from PEM text (a "PRIVATE KEY" and a "PUBLIC KEY" block); {@code source} names it in errors. */
    static AnchorSigner fromPem(String text, String source) throws IOException {
        try {
            PrivateKey priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(
                    new PKCS8EncodedKeySpec(pemBody(text, "PRIVATE KEY")));
            PublicKey pub = publicKeyFromPem(text, source);
            return new AnchorSigner(priv, pub);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(source + ": not an Ed25519 PEM key pair (" + e.getMessage() + ")", e);
        }
    }

    static PublicKey publicKeyFromPem(String text, String source) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(pemBody(text, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(source + ": not an Ed25519 PEM public key (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] pemBody(String text, String label) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) throw new IllegalArgumentException("missing " + begin);
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }
}
