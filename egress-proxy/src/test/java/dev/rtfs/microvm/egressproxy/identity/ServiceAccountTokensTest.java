package dev.rtfs.microvm.egressproxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.egressproxy.testing.TokenMint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceAccountTokensTest {

    @TempDir Path tmp;

    private ServiceAccountTokens tokens(TokenMint mint, Clock clock, Optional<String> issuer) throws Exception {
        Path jwks = TokenMint.writeJwks(tmp.resolve("jwks.json"), mint);
        return new ServiceAccountTokens(JwksFile.open(jwks, clock, Duration.ZERO), TokenMint.AUDIENCE, issuer, clock);
    }

    @Test
    void aValidTokenNamesItsServiceAccount() throws Exception {
        TokenMint mint = new TokenMint();
        ServiceAccountTokens t = tokens(mint, Clock.systemUTC(), Optional.of(TokenMint.ISSUER));
        assertThat(t.verify(mint.token("ns", "sa"))).isInstanceOfSatisfying(ServiceAccountTokens.Verdict.Valid.class,
                v -> assertThat(v.serviceAccount()).isEqualTo("ns/sa"));
        assertThat(t.verify(mint.es256Token("ns", "sb"))).isInstanceOf(ServiceAccountTokens.Verdict.Valid.class);
    }

    @Test
    void aCachedTokenStopsWorkingAtItsExpiry() throws Exception {
        TokenMint mint = new TokenMint();
        Instant now = Instant.now();
        MutableClock clock = new MutableClock(now);
        ServiceAccountTokens t = tokens(mint, clock, Optional.empty());
        String token = mint.rs256(TokenMint.claims("ns", "sa", TokenMint.AUDIENCE, now, Duration.ofMinutes(10)));
        assertThat(t.verify(token)).isInstanceOf(ServiceAccountTokens.Verdict.Valid.class);
        clock.now = now.plus(Duration.ofMinutes(12));
        assertThat(t.verify(token)).isInstanceOfSatisfying(ServiceAccountTokens.Verdict.Invalid.class,
                i -> assertThat(i.cause()).isEqualTo(AuthFailure.EXPIRED));
    }

    @Test
    void aTokenFromTheFutureIsNotYetValid() throws Exception {
        TokenMint mint = new TokenMint();
        ServiceAccountTokens t = tokens(mint, Clock.systemUTC(), Optional.empty());
        String token = mint.rs256(TokenMint.claims("ns", "sa", TokenMint.AUDIENCE,
                Instant.now().plus(Duration.ofMinutes(5)), Duration.ofHours(1)));
        assertThat(t.verify(token)).isInstanceOfSatisfying(ServiceAccountTokens.Verdict.Invalid.class,
                i -> assertThat(i.cause()).isEqualTo(AuthFailure.NOT_YET_VALID));
    }

    @Test
    void aWrongIssuerIsRefusedWhenOneIsRequired() throws Exception {
        TokenMint mint = new TokenMint();
        ServiceAccountTokens t = tokens(mint, Clock.systemUTC(), Optional.of("https://elsewhere"));
        assertThat(t.verify(mint.token("ns", "sa"))).isInstanceOfSatisfying(ServiceAccountTokens.Verdict.Invalid.class,
                i -> assertThat(i.cause()).isEqualTo(AuthFailure.WRONG_ISSUER));
    }

    @Test
    void aJwksWithAPrivateKeyOrNoKeysIsRefused() throws Exception {
        TokenMint mint = new TokenMint();
        Path f = tmp.resolve("private.json");
        Files.writeString(f, new com.nimbusds.jose.jwk.JWKSet(mint.rsa).toString(false));
        assertThatThrownBy(() -> JwksFile.open(f, Clock.systemUTC(), Duration.ZERO))
                .hasMessageContaining("private key");
        Files.writeString(f, "{\"keys\":[]}");
        assertThatThrownBy(() -> JwksFile.open(f, Clock.systemUTC(), Duration.ZERO)).hasMessageContaining("no keys");
    }

    @Test
    void anInvalidNewJwksKeepsTheKeysInUse() throws Exception {
        TokenMint mint = new TokenMint();
        ServiceAccountTokens t = tokens(mint, Clock.systemUTC(), Optional.empty());
        Files.writeString(tmp.resolve("jwks.json"), "not json");
        assertThat(t.verify(mint.token("ns", "sa"))).isInstanceOf(ServiceAccountTokens.Verdict.Valid.class);
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
