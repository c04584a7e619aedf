package dev.rtfs.microvm.egresspolicy.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Seeded fuzz of the decoding DLP (replay with -Dfuzz.seed=N): random secrets under random stacks of up to three
 * encoding layers, in random benign text at a random place of the request, are always found; random benign text
 * under the same encodings almost never is.
 */
class EncodedSecretFuzzTest {

    static final DlpLimits LIMITS = DlpLimits.forBodyCap(1 << 20);
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final String[] WORDS = {"the", "agent", "fetched", "page", "results", "ok", "id", "value", "name", "list",
        "summary", "of", "weather", "in", "Berlin", "is", "mild", "2026", "42", "true", "null", "data", "items",
        "café", "naïve", "über", "東京", "—"};

    /** One secret and the rule that must find it. */
    record Secret(String text, String rule) {}

    /** A wrapping and how many layers it adds. */
    record Wrap(String name, java.util.function.UnaryOperator<String> op, int layers) {}

    static final List<Wrap> WRAPS = List.of(
            new Wrap("base64", Wrappings.BASE64.wrap, 1),
            new Wrap("base64url", Wrappings.BASE64URL.wrap, 1),
            new Wrap("hex", Wrappings.HEX.wrap, 1),
            new Wrap("HEX", Wrappings.HEX_UPPER.wrap, 1),
            new Wrap("percent", Wrappings::percentAll, 1),
            new Wrap("percent-twice", Wrappings.PERCENT_TWICE.wrap, 2),
            new Wrap("json-escape", Wrappings.JSON_ESCAPE.wrap, 1),
            new Wrap("zero-width", Wrappings.ZERO_WIDTH.wrap, 1),
            new Wrap("quoted-printable", Wrappings.QUOTED_PRINTABLE.wrap, 1),
            new Wrap("base64-of-gzip", s -> Base64.getEncoder().encodeToString(Wrappings.gzip(Wrappings.bytes(s))), 2),
            new Wrap("base64-of-deflate", s -> Base64.getEncoder().encodeToString(Wrappings.deflate(Wrappings.bytes(s))), 2));

    static long seed() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        LoggerFactory.getLogger(EncodedSecretFuzzTest.class).info("encoded-secret fuzz seed {}", seed);
        return seed;
    }

    static String pick(Random r, String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    static Secret secret(Random r) {
        return switch (r.nextInt(7)) {
            case 0 -> new Secret(new String[] {"AKIA", "ASIA", "ABIA", "ACCA"}[r.nextInt(4)] + pick(r, UPPER_DIGITS, 16),
                    "aws-access-key");
            case 1 -> new Secret("ghp_" + pick(r, ALNUM, 36 + r.nextInt(10)), "github-token");
            case 2 -> new Secret("AIza" + pick(r, ALNUM + "_-", 35), "google-api-key");
            case 3 -> new Secret("xoxb-" + pick(r, ALNUM, 10) + "-" + pick(r, ALNUM, 12), "slack-token");
            case 4 -> new Secret(card(r), "card-number");
            case 5 -> new Secret(pick(r, "abcdefghij", 4 + r.nextInt(8)) + "." + pick(r, "klmnop", 3) + "@"
                    + pick(r, "qrstuvwxyz", 3 + r.nextInt(6)) + ".com", "email");
            default -> new Secret("-----BEGIN PRIVATE KEY-----\n" + pick(r, ALNUM, 40)
                    + "\n-----END PRIVATE KEY-----", "private-key");
        };
    }

    /** A 16-digit number that passes Luhn. */
    static String card(Random r) {
        int[] d = new int[16];
        d[0] = 4;
        for (int i = 1; i < 15; i++) {
            d[i] = r.nextInt(10);
        }
        int sum = 0;
        for (int i = 14, k = 0; i >= 0; i--, k++) {
            int x = d[i];
            if (k % 2 == 0) {
                x *= 2;
                x = x > 9 ? x - 9 : x;
            }
            sum += x;
        }
        d[15] = (10 - sum % 10) % 10;
        StringBuilder b = new StringBuilder();
        for (int x : d) {
            b.append(x);
        }
        return b.toString();
    }

    static String benign(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    /** Up to three layers' worth of random wraps, innermost first. */
    static String wrapRandomly(Random r, String s, List<String> applied) {
        int budget = 1 + r.nextInt(3);
        String out = s;
        while (budget > 0) {
            Wrap w = WRAPS.get(r.nextInt(WRAPS.size()));
            if (w.layers() > budget) {
                continue;
            }
            out = w.op().apply(out);
            applied.add(w.name());
            budget -= w.layers();
            if (r.nextBoolean()) {
                break;
            }
        }
        return out;
    }

    /** The UTF-8 bytes of {@code s}, one char each, as the proxy's headers and bodies are scanned. */
    static String latin1(String s) {
        return new String(Wrappings.bytes(s), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static DlpVerdict place(Random r, String payload, DlpMode mode) {
        String before = new String[] {" ", "\"", "=", "\n", ":", ","}[r.nextInt(6)];
        // Not '=' after: "=42" after a quoted-printable secret is a 'B' glued to it, a different secret.
        String after = new String[] {" ", "\"", "&", "\n", ":", ","}[r.nextInt(6)];
        // At least one word first: "q=" then a line break would be a quoted-printable soft break gluing 'q' on.
        String text = benign(r, 1 + r.nextInt(5)) + before + payload + after + benign(r, r.nextInt(6));
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Accept", "*/*")));
        String target = "/p";
        byte[] body = new byte[0];
        switch (r.nextInt(5)) {
            case 0 -> headers.add(Map.entry("Authorization", latin1("Basic " + text)));
            case 1 -> headers.add(Map.entry("Proxy-Authorization", latin1(text)));
            case 2 -> headers.add(Map.entry("Cookie", latin1("sid=1; " + text)));
            case 3 -> target = "/p?q=" + latin1(text).replace(" ", "%20").replace("\n", "%0A");
            default -> body = Wrappings.bytes("{\"text\":\"" + text + "\"}");
        }
        return RequestInspector.inspect(new RequestParts("origin.test", target, headers, body), mode, LIMITS);
    }

    @Test
    void randomEncodingsOfRandomSecretsAreAlwaysFound() {
        long seed = seed();
        Random r = new Random(seed);
        for (int i = 0; i < 3000; i++) {
            Secret s = secret(r);
            List<String> applied = new ArrayList<>();
            String payload = wrapRandomly(r, s.text(), applied);
            DlpMode mode = r.nextBoolean() ? DlpMode.STRICT : DlpMode.LENIENT;
            DlpVerdict v = place(r, payload, mode);
            assertThat(v).as("seed %d case %d: %s under %s", seed, i, s.rule(), applied).isInstanceOf(DlpVerdict.Block.class);
            DlpVerdict.Block b = (DlpVerdict.Block) v;
            assertThat(b.findings()).as("seed %d case %d: %s under %s", seed, i, s.rule(), applied)
                    .anyMatch(f -> f.rule().equals(s.rule()));
            assertThat(b.describe()).doesNotContain(s.text());
        }
    }

    /**
     * Benign text (prose, base64 and hex of random bytes, uuids) under random stacks of the same encodings. A finding
     * under a decoded layer is the price of decoding: at most 0.1% of requests (measured: 0 to 2 of 5,000 per
     * seed). A finding in the bytes as sent is the plain rules' own rate (0 since the card rule no longer matches
     * digits inside a hex run; before, about 3% of these requests).
     */
    @Test
    void randomBenignTextUnderTheSameEncodingsAlmostNeverMatches() {
        long seed = seed();
        Random r = new Random(seed);
        int n = 5000;
        int underLayer = 0;
        int plain = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String text = switch (r.nextInt(4)) {
                case 0 -> benign(r, 3 + r.nextInt(10));
                case 1 -> Base64.getEncoder().encodeToString(randomBytes(r, 12 + r.nextInt(300)));
                case 2 -> HexFormat.of().formatHex(randomBytes(r, 8 + r.nextInt(64)));
                default -> java.util.UUID.nameUUIDFromBytes(randomBytes(r, 8)) + " " + benign(r, 4);
            };
            String payload = wrapRandomly(r, text, new ArrayList<>());
            DlpVerdict v = place(r, payload, DlpMode.STRICT);
            if (v instanceof DlpVerdict.Block b && b.findings().stream().anyMatch(f -> !f.layers().isEmpty())) {
                underLayer++;
                if (examples.size() < 3) {
                    examples.add(b.describe());
                }
            } else if (!(v instanceof DlpVerdict.Clean)) {
                plain++;
            }
        }
        LoggerFactory.getLogger(EncodedSecretFuzzTest.class).info(
                "benign requests flagged: {} of {} under a decoded layer, {} by the plain rules", underLayer, n, plain);
        assertThat(underLayer).as("seed %d: flagged under a decoded layer (at most 0.1%%): %s", seed, examples)
                .isLessThanOrEqualTo(n / 1000);
        assertThat(plain).as("seed %d: flagged by the plain rules", seed).isLessThanOrEqualTo(n / 50);
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
