package dev.rtfs.microvm.egressproxy.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Mints Kubernetes-like projected ServiceAccount tokens in tests, with a test RSA key (RS256) and a test EC key
 * (ES256), and writes their public JWKS, as {@code kubectl get --raw /openid/v1/jwks} gives it.
 */
public final class TokenMint {

    public static final String AUDIENCE = "rtfs-egress-proxy";
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    public final RSAKey rsa;
    public final ECKey ec;

    public TokenMint() throws Exception {
        this("rsa-1", "ec-1");
    }

    public TokenMint(String rsaKid, String ecKid) throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID(rsaKid).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID(ecKid).generate();
    }

    /** Writes the public keys of {@code mints} as one JWKS file. */
    public static Path writeJwks(Path file, TokenMint... mints) throws Exception {
        List<JWK> keys = new java.util.ArrayList<>();
        for (TokenMint m : mints) {
            keys.add(m.rsa.toPublicJWK());
            keys.add(m.ec.toPublicJWK());
        }
        Path tmp = Files.createTempFile(file.getParent(), ".jwks", ".tmp");
        Files.writeString(tmp, new JWKSet(keys).toString(true));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** A valid RS256 token for {@code namespace/name}, valid for an hour. */
    public String token(String namespace, String name) throws Exception {
        return rs256(claims(namespace, name, AUDIENCE, Instant.now(), Duration.ofHours(1)));
    }

    public String es256Token(String namespace, String name) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
                claims(namespace, name, AUDIENCE, Instant.now(), Duration.ofHours(1)));
        jwt.sign(new ECDSASigner(ec));
        return jwt.serialize();
    }

    public String rs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    /** An unsigned token ({@code "alg": "none"}) with otherwise valid claims. */
    public static String unsigned(String namespace, String name) {
        return new PlainJWT(claims(namespace, name, AUDIENCE, Instant.now(), Duration.ofHours(1))).serialize();
    }

    /** Claims as the kubelet's projected token has them: iss, sub, aud, iat, nbf, exp. */
    public static JWTClaimsSet claims(String namespace, String name, String audience, Instant issued, Duration life) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("system:serviceaccount:" + namespace + ":" + name)
                .audience(List.of(audience))
                .issueTime(Date.from(issued))
                .notBeforeTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(life)))
                .build();
    }
}
