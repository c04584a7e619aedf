package dev.rtfs.microvm.egressproxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProxyAuthorizationFuzzTest {

    @Test
    void bearerAndBasicYieldTheSameToken() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        String basic = Base64.getEncoder().encodeToString(("x:" + jwt).getBytes(StandardCharsets.UTF_8));
        assertThat(ProxyAuthorization.parse(List.of("Bearer " + jwt))).isEqualTo(new ProxyAuthorization.Parsed.Token(jwt));
        assertThat(ProxyAuthorization.parse(List.of("basic " + basic))).isEqualTo(new ProxyAuthorization.Parsed.Token(jwt));
    }

    @Test
    void aMissingDuplicatedOrForeignHeaderIsRefusedWithItsCause() {
        assertThat(ProxyAuthorization.parse(List.of())).isInstanceOfSatisfying(ProxyAuthorization.Parsed.Refused.class,
                r -> assertThat(r.cause()).isEqualTo(AuthFailure.MISSING));
        assertThat(ProxyAuthorization.parse(List.of("Bearer a.b.c", "Bearer a.b.c")))
                .isInstanceOfSatisfying(ProxyAuthorization.Parsed.Refused.class,
                        r -> assertThat(r.cause()).isEqualTo(AuthFailure.MALFORMED));
        assertThat(ProxyAuthorization.parse(List.of("Digest a.b.c")))
                .isInstanceOf(ProxyAuthorization.Parsed.Refused.class);
        assertThat(ProxyAuthorization.parse(List.of("Basic !!!")))
                .isInstanceOf(ProxyAuthorization.Parsed.Refused.class);
    }

    /** Random headers never throw, never yield a token outside base64url and '.', and never echo the value. */
    @Test
    void randomHeadersAreAnsweredNeverThrown() {
        long seed = System.nanoTime();
        System.out.println("ProxyAuthorizationFuzzTest seed " + seed);
        Random random = new Random(seed);
        String[] prefixes = {"Bearer ", "Basic ", "bearer  ", "BASIC ", "", " ", "Bearer", "Basic x"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder v = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int len = random.nextInt(random.nextInt(10) == 0 ? 20_000 : 80);
            for (int j = 0; j < len; j++) {
                v.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x3000) : (char) (0x20 + random.nextInt(0x5f)));
            }
            if (random.nextInt(5) == 0) {
                String inner = "u:" + v;
                v = new StringBuilder("Basic " + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8)));
            }
            String value = v.toString();
            ProxyAuthorization.Parsed p = ProxyAuthorization.parse(List.of(value));
            switch (p) {
                case ProxyAuthorization.Parsed.Token t ->
                        assertThat(t.token()).as("seed %d value %s", seed, value).matches("[A-Za-z0-9._-]+");
                case ProxyAuthorization.Parsed.Refused r -> {
                    assertThat(r.cause()).isNotNull();
                    if (value.length() > 24) {
                        assertThat(r.detail()).as("seed %d", seed).doesNotContain(value.substring(7));
                    }
                }
            }
        }
    }
}
