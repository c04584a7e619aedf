package dev.rtfs.microvm.egresspolicy.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.DlpMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestInspectorTest {

    static final String AWS = "AKIAIOSFODNN7EXAMPLE";
    static final DlpLimits LIMITS = DlpLimits.forBodyCap(1 << 20);

    static DlpVerdict inspect(DlpMode mode, String target, List<Map.Entry<String, String>> headers, byte[] body) {
        return RequestInspector.inspect(new RequestParts("origin.test", target, headers, body), mode, LIMITS);
    }

    static DlpVerdict strictBody(byte[] body, String... headers) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(Map.entry(headers[i], headers[i + 1]));
        }
        return inspect(DlpMode.STRICT, "/p", h, body);
    }

    static DlpVerdict strictHeader(String name, String value) {
        return inspect(DlpMode.STRICT, "/p", List.of(Map.entry("Accept", "*/*"), Map.entry(name, value)), new byte[0]);
    }

    /** A header value as Netty hands it over: the UTF-8 bytes, one char each. */
    static String latin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static List<String> described(DlpVerdict v) {
        assertThat(v).isInstanceOf(DlpVerdict.Block.class);
        return ((DlpVerdict.Block) v).findings().stream().map(DlpFinding::describe).toList();
    }

    @Test
    void aSecretInTheAuthorizationHeaderIsBlocked() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("agent:" + AWS).getBytes(StandardCharsets.UTF_8));
        assertThat(described(strictHeader("Authorization", basic)))
                .containsExactly("aws-access-key via header Authorization / base64");
        assertThat(described(strictHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + AWS + "/x")))
                .containsExactly("aws-access-key via header Authorization");
    }

    @Test
    void aSecretInTheProxyAuthorizationHeaderIsBlocked() {
        assertThat(described(strictHeader("Proxy-Authorization", "Basic " + AWS)))
                .containsExactly("aws-access-key via header Proxy-Authorization");
    }

    @Test
    void aSecretInACookieIsBlocked() {
        assertThat(described(strictHeader("Cookie", "session=1; k=" + Wrappings.HEX.wrap.apply(AWS))))
                .containsExactly("aws-access-key via header Cookie / hex");
    }

    @Test
    void aSecretInTheRequestLineQueryIsBlocked() {
        assertThat(described(inspect(DlpMode.STRICT, "/p?k=" + Wrappings.PERCENT_TWICE.wrap.apply(AWS), List.of(),
                new byte[0]))).containsExactly("aws-access-key via request-line / percent / percent");
        assertThat(described(inspect(DlpMode.STRICT, "/p?k=" + AWS, List.of(), new byte[0])))
                .containsExactly("aws-access-key via request-line");
    }

    @Test
    void aSecretInAHeaderNameIsBlockedWithoutNamingTheHeader() {
        assertThat(described(strictHeader("X-" + AWS, "1"))).containsExactly("aws-access-key via header name");
    }

    @ParameterizedTest
    @EnumSource(Wrappings.class)
    void aWrappedSecretInTheBodyIsBlocked(Wrappings w) {
        String wrapped = w.wrap.apply(AWS);
        String body = "{\"note\":\"hello\",\"data\":\"" + wrapped + "\"}";
        List<String> found = described(strictBody(Wrappings.bytes(body)));
        String layer = switch (w) {
            case BASE64 -> "base64";
            // Named by the symbols seen: base64url without '-' or '_' is indistinguishable from base64.
            case BASE64URL -> wrapped.matches(".*[-_].*") ? "base64url" : "base64";
            case HEX, HEX_UPPER -> "hex";
            case PERCENT_TWICE -> "percent / percent";
            case JSON_ESCAPE -> "json-escape";
            case ZERO_WIDTH -> "invisible";
            case QUOTED_PRINTABLE -> "quoted-printable";
        };
        assertThat(found).contains("aws-access-key via body / " + layer);
    }

    @Test
    void aSecretSplitByZeroWidthCharactersInAHeaderIsBlocked() {
        assertThat(described(strictHeader("X-Note", latin1(Wrappings.ZERO_WIDTH.wrap.apply("k=" + AWS)))))
                .containsExactly("aws-access-key via header X-Note / invisible");
    }

    @Test
    void aGzipBodyIsScannedInStrictAndBlockedInLenient() {
        byte[] gz = Wrappings.gzip(Wrappings.bytes("k=" + AWS));
        assertThat(described(strictBody(gz, "Content-Encoding", "gzip")))
                .containsExactly("aws-access-key via body / gzip");
        DlpVerdict lenient = inspect(DlpMode.LENIENT, "/p", List.of(Map.entry("Content-Encoding", "gzip")), gz);
        assertThat(lenient).as("a secret inside gzip cannot be redacted in place").isInstanceOf(DlpVerdict.Block.class);
        byte[] clean = Wrappings.gzip(Wrappings.bytes("{\"hello\":\"world\"}"));
        assertThat(inspect(DlpMode.LENIENT, "/p", List.of(Map.entry("Content-Encoding", "gzip")), clean))
                .isInstanceOf(DlpVerdict.Clean.class);
    }

    @Test
    void aDeflateBodyIsScanned() {
        assertThat(described(strictBody(Wrappings.deflate(Wrappings.bytes("k=" + AWS)), "Content-Encoding", "deflate")))
                .containsExactly("aws-access-key via body / deflate");
    }

    @Test
    void aGzipBombIsRefusedNotInflated() {
        byte[] bomb = Wrappings.gzip(new byte[64 << 20]); // 64 MiB of zeros in ~64 KiB
        DlpVerdict v = strictBody(bomb, "Content-Encoding", "gzip");
        assertThat(v).isInstanceOf(DlpVerdict.Unscannable.class);
        assertThat(((DlpVerdict.Unscannable) v).why()).contains("compression bomb");
        assertThat(inspect(DlpMode.LENIENT, "/p", List.of(Map.entry("Content-Encoding", "gzip")), bomb))
                .isInstanceOf(DlpVerdict.Unscannable.class);
    }

    @Test
    void base64OfGzipIsFollowedWithinTheDepthBound() {
        String b64 = Base64.getEncoder().encodeToString(Wrappings.gzip(Wrappings.bytes("k=" + AWS)));
        assertThat(described(strictBody(Wrappings.bytes("{\"blob\":\"" + b64 + "\"}"))))
                .containsExactly("aws-access-key via body / base64 / gzip");
        // Three layers: percent of base64 of gzip.
        assertThat(described(strictBody(Wrappings.bytes("blob=" + Wrappings.percentAll(b64)))))
                .contains("aws-access-key via body / percent / base64 / gzip");
    }

    @Test
    void aBase64RunMisalignedByAPrefixIsStillRead() {
        String b64 = Base64.getEncoder().withoutPadding().encodeToString(Wrappings.bytes("k=" + AWS + " ok"));
        for (String prefix : List.of("x", "xy", "xyz")) {
            assertThat(described(strictBody(Wrappings.bytes("data=" + prefix + b64 + "Q"))))
                    .as(prefix).containsExactly("aws-access-key via body / base64");
        }
        String gz = Base64.getEncoder().encodeToString(Wrappings.gzip(Wrappings.bytes("k=" + AWS)));
        assertThat(described(strictBody(Wrappings.bytes("data=Zq" + gz))))
                .containsExactly("aws-access-key via body / base64 / gzip");
    }

    @Test
    void anUndecodableBodyIsRefusedInStrict() {
        DlpVerdict broken = strictBody("not gzip at all".getBytes(StandardCharsets.US_ASCII), "Content-Encoding", "gzip");
        assertThat(broken).isInstanceOf(DlpVerdict.Unscannable.class);
        DlpVerdict br = strictBody(new byte[] {0x0b, 0x02, (byte) 0x80}, "Content-Encoding", "br");
        assertThat(((DlpVerdict.Unscannable) br).why()).contains("br").contains("Brotli");
        DlpVerdict unknown = strictBody(new byte[] {1, 2, 3}, "Content-Encoding", "identity, zstd");
        assertThat(unknown).isInstanceOf(DlpVerdict.Unscannable.class);
    }

    @Test
    void decodingIsBoundedByTheBudget() {
        // A body of nested percent escapes that decodes to a body of the same size, four times over budget.
        DlpLimits tiny = new DlpLimits(3, 1000, 100, 64 * 1024);
        byte[] body = Wrappings.bytes("x=" + Wrappings.percentAll("y".repeat(600)));
        DlpVerdict v = RequestInspector.inspect(new RequestParts("origin.test", "/p", List.of(), body), DlpMode.STRICT, tiny);
        assertThat(v).isInstanceOf(DlpVerdict.Unscannable.class);
        assertThat(((DlpVerdict.Unscannable) v).why()).contains("decoding budget");
    }

    @Test
    void lenientRedactsPlainFindingsInHeadersAndBlocksEncodedOnes() {
        DlpVerdict plain = inspect(DlpMode.LENIENT, "/p?k=" + AWS,
                List.of(Map.entry("Authorization", "Bearer abcdefghijklmnopqrstuvwxyz012345"),
                        Map.entry("Cookie", "k=" + AWS)), Wrappings.bytes("body " + AWS));
        assertThat(plain).isInstanceOf(DlpVerdict.Redact.class);
        DlpVerdict.Redact r = (DlpVerdict.Redact) plain;
        assertThat(r.pathAndQuery()).isEqualTo("/p?k=[REDACTED:aws-access-key]");
        assertThat(r.headers()).containsExactly(Map.entry("Authorization", "[REDACTED:bearer-token]"),
                Map.entry("Cookie", "k=[REDACTED:aws-access-key]"));
        assertThat(new String(r.body().orElseThrow(), StandardCharsets.ISO_8859_1)).isEqualTo("body [REDACTED:aws-access-key]");

        DlpVerdict encoded = inspect(DlpMode.LENIENT, "/p",
                List.of(Map.entry("Cookie", "k=" + Base64.getEncoder().encodeToString(Wrappings.bytes(AWS)))), new byte[0]);
        assertThat(described(encoded)).containsExactly("aws-access-key via header Cookie / base64");
    }

    @Test
    void findingsNameRuleAndLayerButNeverTheSecret() {
        String b64 = Base64.getEncoder().encodeToString(Wrappings.bytes(AWS));
        DlpVerdict v = inspect(DlpMode.STRICT, "/p?k=" + AWS, List.of(Map.entry("Authorization", "Basic " + b64),
                Map.entry("X-" + AWS, "v")), Wrappings.bytes("card=4111 1111 1111 1111"));
        String detail = ((DlpVerdict.Block) v).describe();
        assertThat(detail).contains("aws-access-key via header Authorization / base64")
                .contains("aws-access-key via request-line").contains("aws-access-key via header name")
                .contains("card-number via body")
                .doesNotContain(AWS).doesNotContain(b64).doesNotContain("4111").doesNotContain("IOSFODNN");
    }

    @Test
    void cleanRequestsWithCommonEncodingsPass() {
        String json = "{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"msg\":\"caf\\u00e9 \\u2014 ok\","
                + "\"sha\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
                + "\"img\":\"" + Base64.getEncoder().encodeToString(new byte[300]) + "\"}";
        assertThat(inspect(DlpMode.STRICT, "/search?q=hello%20world&page=2",
                List.of(Map.entry("Authorization", "Basic " + Base64.getEncoder().encodeToString(Wrappings.bytes("user:pass"))),
                        Map.entry("Cookie", "theme=dark; sid=Zm9vYmFyYmF6cXV4"),
                        Map.entry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
                Wrappings.bytes(json))).isInstanceOf(DlpVerdict.Clean.class);
    }
}
