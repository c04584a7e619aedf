package dev.rtfs.microvm.egresspolicy.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DlpScannerTest {

    static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            key=AKIAIOSFODNN7EXAMPLE&x=1                         | aws-access-key
            {"card":"4111 1111 1111 1111"}                       | card-number
            card=4111-1111-1111-1111                             | card-number
            card=5500000000000004                                | card-number
            auth: Bearer abcdefghijklmnopqrstuvwxyz012345        | bearer-token
            contact alice.smith+x@example.co.uk please           | email
            key=AIzaSyA1234567890abcdefghijklmnopqrstuv          | google-api-key
            t=ghp_abcdefghijklmnopqrstuvwxyz0123456789           | github-token
            """)
    void finds(String text, String kind) {
        DlpScanner.Result r = DlpScanner.scan(text);
        assertThat(r.kinds()).contains(kind);
        assertThat(r.redacted()).contains("[REDACTED:" + kind + "]");
    }

    @Test
    void pemBlockIsRedactedWhole() {
        DlpScanner.Result r = DlpScanner.scan("before\n" + PEM + "\nafter");
        assertThat(r.kinds()).containsExactly("private-key");
        assertThat(r.redacted()).isEqualTo("before\n[REDACTED:private-key]\nafter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"card=4111 1111 1111 1112", "order 1234567890123", "id=AKIA123", "plain text",
        "x@y", "2026-11-26 14:00:00", "phone 0049 30 1234567", "sha=9f86d0814111111111111111a2feaa0c"})
    void passesCleanText(String text) {
        assertThat(DlpScanner.scan(text).clean()).as(text).isTrue();
    }

    @Test
    void luhn() {
        assertThat(DlpScanner.luhnValid("4111111111111111")).isTrue();
        assertThat(DlpScanner.luhnValid("4111111111111112")).isFalse();
        assertThat(DlpScanner.luhnValid("411111")).isFalse();
    }

    @Test
    void encodedKindsSeeThroughPercentEncoding() {
        assertThat(DlpScanner.encodedKinds("card=4111+1111+1111+1111")).containsExactly("card-number");
        assertThat(DlpScanner.encodedKinds("k=AKIA%49OSFODNN7EXAMPLE")).containsExactly("aws-access-key");
        assertThat(DlpScanner.encodedKinds("q=hello+world%21&bad=%zz%4")).isEmpty();
        assertThat(DlpScanner.encodedKinds("no escapes 4111 1111 1111 1112")).isEmpty();
        assertThat(DlpScanner.percentDecode("a%41+%zz%4")).isEqualTo("aA %zz%4");
    }

    /**
     * The pre-checks only skip work: over seeded random texts built from secret fragments, separators, case
     * changes and noise (replay with -Dfuzz.seed=N), the scan with them equals the scan running every regex.
     */
    @Test
    void preChecksNeverHideAFinding() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        org.slf4j.LoggerFactory.getLogger(DlpScannerTest.class).info("DLP pre-check fuzz seed {}", seed);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        String[] parts = {"AKIA", "ASIA", "A3T", "AIza", "ghp_", "gho_", "xoxb-", "bearer ", "BeArEr\t", "PRIVATE KEY-----",
                "-----BEGIN EC ", "-----END ", "@", ".com", "4111", " ", "-", "=", "%40", "+", "0123456789", "ABCDEFGHIJ",
                "abcdefghijklmnop", "\u017f", "K", "\n"};
        int hits = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = rnd.nextInt(1, 14); n > 0; n--) {
                String p = parts[rnd.nextInt(parts.length)];
                b.append(rnd.nextInt(4) == 0 ? p.toUpperCase(java.util.Locale.ROOT) : p);
            }
            String text = b.toString();
            DlpScanner.Result fast = DlpScanner.scan(text);
            DlpScanner.Result full = DlpScanner.scan(text, false);
            assertThat(fast).as("seed %d case %d: %s", seed, i, text).isEqualTo(full);
            hits += full.clean() ? 0 : 1;
        }
        assertThat(hits).as("the generator reaches findings (seed %d)", seed).isGreaterThan(1000);
    }
}
