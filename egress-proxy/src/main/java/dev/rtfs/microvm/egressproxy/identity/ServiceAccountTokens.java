package dev.rtfs.microvm.egressproxy.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies Kubernetes projected ServiceAccount tokens: a JWS signed with RS256 or ES256 by a key of the cluster's
 * JWKS, {@code aud} containing the proxy's audience, {@code exp} in the future and {@code nbf}/{@code iat} not in
 * it (60 s skew each way), {@code iss} equal to the configured issuer when one is, and {@code sub}
 * {@code system:serviceaccount:NS:NAME}. Signature checks are the nimbus-jose-jwt library's. A verified token is
 * remembered by its SHA-256 until its {@code exp} (or until the JWKS changes), so a keep-alive client pays one
 * signature check per token, not per request. Thread-safe.
 */
public final class ServiceAccountTokens {

    static final Duration SKEW = Duration.ofSeconds(60);
    /** Tokens remembered at once; past it the cache starts over (each pod rotates its token hourly at most). */
    static final int MAX_CACHED = 16_384;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final Pattern SUBJECT = Pattern.compile("system:serviceaccount:([^:]+):([^:]+)");

    /** A token's verdict: its ServiceAccount ("namespace/name"), or why it proves none. */
    public sealed interface Verdict {
        record Valid(String serviceAccount, Instant expires) implements Verdict {}

        record Invalid(AuthFailure cause, String detail) implements Verdict {}
    }

    private record Cached(Verdict.Valid valid, long generation) {}

    private final JwksFile jwks;
    private final String audience;
    private final Optional<String> issuer;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> verified = new ConcurrentHashMap<>();

    public ServiceAccountTokens(JwksFile jwks, String audience, Optional<String> issuer, Clock clock) {
        if (audience.isBlank()) {
            throw new IllegalArgumentException("the token audience must not be blank");
        }
        this.jwks = jwks;
        this.audience = audience;
        this.issuer = issuer;
        this.clock = clock;
    }

    public Verdict verify(String token) {
        Instant now = clock.instant();
        long generation = jwks.generation();
        String key = sha256(token);
        Cached hit = verified.get(key);
        if (hit != null && hit.generation() == generation && now.isBefore(hit.valid().expires())) {
            return hit.valid();
        }
        Verdict v = verifyUncached(token, now);
        if (v instanceof Verdict.Valid valid) {
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
            verified.put(key, new Cached(valid, generation));
        } else if (hit != null) {
            verified.remove(key);
        }
        return v;
    }

    private Verdict verifyUncached(String token, Instant now) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            return invalid(AuthFailure.MALFORMED, "not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return invalid(AuthFailure.UNSUPPORTED_ALGORITHM, "the token is not signed (alg "
                    + jwt.getHeader().getAlgorithm() + ")");
        }
        JWSHeader header = signed.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            return invalid(AuthFailure.UNSUPPORTED_ALGORITHM, "alg " + header.getAlgorithm()
                    + " is not RS256 or ES256");
        }
        List<JWK> candidates = new JWKSelector(JWKMatcher.forJWSHeader(header)).select(jwks.keys());
        if (candidates.isEmpty()) {
            return invalid(AuthFailure.UNKNOWN_KEY, "no key of the JWKS matches kid "
                    + Optional.ofNullable(header.getKeyID()).orElse("(none)"));
        }
        if (!signatureVerifies(signed, candidates)) {
            return invalid(AuthFailure.BAD_SIGNATURE, "the signature does not verify");
        }
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return invalid(AuthFailure.MALFORMED, "the claims are not a JSON object");
        }
        return checkClaims(claims, now);
    }

    private static boolean signatureVerifies(SignedJWT signed, List<JWK> candidates) {
        for (JWK k : candidates) {
            try {
                JWSVerifier verifier = switch (k) {
                    case RSAKey rsa -> new RSASSAVerifier(rsa);
                    case ECKey ec -> new ECDSAVerifier(ec);
                    default -> null;
                };
                if (verifier != null && signed.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // this key does not fit the token (wrong curve, too short): try the next
            }
        }
        return false;
    }

    private Verdict checkClaims(JWTClaimsSet c, Instant now) {
        List<String> aud = c.getAudience();
        if (aud == null || !aud.contains(audience)) {
            return invalid(AuthFailure.WRONG_AUDIENCE, "aud does not contain " + audience);
        }
        if (issuer.isPresent() && !issuer.get().equals(c.getIssuer())) {
            return invalid(AuthFailure.WRONG_ISSUER, "iss is not " + issuer.get());
        }
        Date exp = c.getExpirationTime();
        if (exp == null) {
            return invalid(AuthFailure.MALFORMED, "no exp");
        }
        if (!exp.toInstant().plus(SKEW).isAfter(now)) {
            return invalid(AuthFailure.EXPIRED, "expired at " + exp.toInstant());
        }
        for (Date notBefore : new Date[] {c.getNotBeforeTime(), c.getIssueTime()}) {
            if (notBefore != null && notBefore.toInstant().minus(SKEW).isAfter(now)) {
                return invalid(AuthFailure.NOT_YET_VALID, "not valid before " + notBefore.toInstant());
            }
        }
        Matcher m = SUBJECT.matcher(Optional.ofNullable(c.getSubject()).orElse(""));
        if (!m.matches()) {
            return invalid(AuthFailure.NOT_A_SERVICE_ACCOUNT, "sub is not system:serviceaccount:NAMESPACE:NAME");
        }
        return new Verdict.Valid(m.group(1) + "/" + m.group(2), exp.toInstant());
    }

    private static Verdict invalid(AuthFailure cause, String detail) {
        return new Verdict.Invalid(cause, detail);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
