package dev.rtfs.microvm.egresspolicy.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The held-secret rule: a secret the proxy holds for the agent, anywhere in a request and under any encoding the DLP
 * undoes (up to its depth of three layers), is a block in every mode (replay the fuzz with -Dfuzz.seed=N), and the finding never carries the value.
 */
class HeldSecretDlpTest {

    static final DlpLimits LIMITS = DlpLimits.forBodyCap(1 << 20);
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    static RequestParts body(String body) {
        return new RequestParts("api.example.com", "/v1", List.of(Map.entry("Content-Type", "text/plain")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** Header values are byte strings: a UTF-8 payload as its bytes, one char each, as the proxy hands them over. */
    static String asBytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static RequestParts header(String name, String value) {
        return new RequestParts("api.example.com", "/v1", List.of(Map.entry(name, value)), new byte[0]);
    }

    static RequestParts query(String q) {
        return new RequestParts("api.example.com", "/v1?" + q, List.of(), new byte[0]);
    }

    @Test
    void aHeldSecretIsBlockedEvenUnderLenientAndOffWhereAnotherFindingWouldBeRedactedOrIgnored() {
        String secret = "opaque-credential-42";
        for (DlpMode mode : DlpMode.values()) {
            DlpVerdict v = RequestInspector.inspect(header("X-Echo", "v=" + secret), mode, LIMITS, List.of(secret));
            assertThat(v).as(mode.name()).isInstanceOfSatisfying(DlpVerdict.Block.class, b -> {
                assertThat(b.heldSecret()).isTrue();
                assertThat(b.describe()).startsWith("held-secret via header X-Echo").doesNotContain(secret);
            });
        }
    }

    @Test
    void aHeldSecretThatAlsoLooksLikeAKeyIsReportedAsHeldSoLenientCannotRedactIt() {
        String aws = "AKIAIOSFODNN7EXAMPLE";
        DlpVerdict v = RequestInspector.inspect(body("k=" + aws), DlpMode.LENIENT, LIMITS, List.of(aws));
        assertThat(v).isInstanceOfSatisfying(DlpVerdict.Block.class, b -> assertThat(b.heldSecret()).isTrue());
        assertThat(RequestInspector.inspect(body("k=" + aws), DlpMode.LENIENT, LIMITS, List.of()))
                .as("without the held secret lenient redacts it").isInstanceOf(DlpVerdict.Redact.class);
    }

    @Test
    void aRequestWithoutTheHeldSecretIsCleanAndOffScansNothingElse() {
        String secret = "opaque-credential-42";
        assertThat(RequestInspector.inspect(body("opaque-credential-41 hello"), DlpMode.STRICT, LIMITS, List.of(secret)))
                .isInstanceOf(DlpVerdict.Clean.class);
        assertThat(RequestInspector.inspect(body("AKIAIOSFODNN7EXAMPLE"), DlpMode.OFF, LIMITS, List.of(secret)))
                .as("off: only held secrets count").isInstanceOf(DlpVerdict.Clean.class);
    }

    /** A wrapping and the decoding layers it adds (the DLP undoes at most three sniffed layers). */
    record Wrap(String name, UnaryOperator<String> op, int layers) {}

    static final List<Wrap> WRAPS = List.of(
            new Wrap("base64", Wrappings.BASE64.wrap, 1),
            new Wrap("base64url", Wrappings.BASE64URL.wrap, 1),
            new Wrap("hex", Wrappings.HEX.wrap, 1),
            new Wrap("HEX", Wrappings.HEX_UPPER.wrap, 1),
            new Wrap("percent", Wrappings::percentAll, 1),
            new Wrap("json-escape", Wrappings.JSON_ESCAPE.wrap, 1),
            new Wrap("quoted-printable", Wrappings.QUOTED_PRINTABLE.wrap, 1),
            new Wrap("zero-width", Wrappings.ZERO_WIDTH.wrap, 1),
            new Wrap("base64-of-gzip", s -> Base64.getEncoder().encodeToString(Wrappings.gzip(Wrappings.bytes(s))), 2));

    @Test
    void seededRandomEncodingsOfAHeldSecretAreAllCaughtInEveryPlace() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        LoggerFactory.getLogger(HeldSecretDlpTest.class).info("held-secret fuzz seed {}", seed);
        Random r = new Random(seed);
        for (int i = 0; i < 300; i++) {
            StringBuilder s = new StringBuilder();
            int n = 8 + r.nextInt(40);
            for (int k = 0; k < n; k++) {
                s.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
            }
            String secret = s.toString();
            Wrap first = WRAPS.get(r.nextInt(WRAPS.size()));
            String payload = first.op().apply("token=" + secret + ";");
            String how = first.name();
            Wrap second = WRAPS.get(r.nextInt(WRAPS.size()));
            if (r.nextBoolean() && first.layers() + second.layers() <= 3) {
                payload = second.op().apply(payload);
                how += "+" + second.name();
            }
            int place = r.nextInt(3);
            RequestParts req = switch (place) {
                case 0 -> body("note " + payload + " end");
                case 1 -> header("X-Data", asBytes(payload));
                default -> query("q=" + Wrappings.percentAll(payload));
            };
            DlpMode mode = DlpMode.values()[r.nextInt(DlpMode.values().length)];
            DlpVerdict v = RequestInspector.inspect(req, mode, LIMITS, List.of(secret));
            String where = "seed " + seed + " case " + i + ": " + how + " in place " + place + " under " + mode;
            assertThat(v).as(where).isInstanceOfSatisfying(DlpVerdict.Block.class,
                    b -> assertThat(b.heldSecret()).as(where).isTrue());
            assertThat(((DlpVerdict.Block) v).describe()).as(where).doesNotContain(secret);
        }
    }
}
