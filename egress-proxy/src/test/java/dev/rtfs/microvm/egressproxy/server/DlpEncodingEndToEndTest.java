package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoding DLP through the real proxy with curl and the JDK HttpClient, against a loopback origin. */
class DlpEncodingEndToEndTest {

    static final String AWS = "AKIAIOSFODNN7EXAMPLE";

    static ProxyFixture fx;
    static LoopbackOrigin origin;
    static int strict;
    static int lenient;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        origin = LoopbackOrigin.http();
        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
        fx.resolver.map("origin.test", "127.0.0.1");
        String common = "\"allow_domains\":[\"origin.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                + "\"allow_ranges\":[\"127.0.0.0/8\"]";
        strict = fx.agent("strict", "{" + common + ",\"dlp\":\"strict\"}");
        lenient = fx.agent("lenient", "{" + common + ",\"dlp\":\"lenient\"}");
    }

    @AfterAll
    static void stop() {
        fx.close();
        origin.close();
    }

    static String url(String path) {
        return "http://origin.test:" + origin.port() + path;
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] gzip(byte[] in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(in);
        }
        return out.toByteArray();
    }

    /** Sends with curl, expects a refusal before the origin, and returns the decision record. */
    static DecisionRecord refusedByCurl(int port, String reason, String... args) throws Exception {
        fx.records.clear();
        int before = origin.hits();
        String[] all = new String[args.length + 2];
        all[0] = "-x";
        all[1] = fx.proxyUrl(port);
        System.arraycopy(args, 0, all, 2, args.length);
        Curl.Result r = Curl.run(tmp, all);
        assertThat(r.status()).as(List.of(args).toString()).isEqualTo(403);
        assertThat(r.header("X-Egress-Denied")).isEqualTo(reason);
        assertThat(origin.hits()).as("refused before the origin").isEqualTo(before);
        DecisionRecord d = fx.awaitRecord(x -> x.reason().equals(reason));
        assertThat(d.detail()).doesNotContain(AWS).doesNotContain("IOSFODNN7");
        assertThat(d.toLogLine()).doesNotContain(AWS);
        return d;
    }

    static HttpResponse<String> jdkPost(int port, byte[] body, String contentEncoding) throws Exception {
        HttpClient c = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))).build();
        return c.send(HttpRequest.newBuilder(URI.create(url("/gz"))).header("Content-Encoding", contentEncoding)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSecretInTheAuthorizationHeaderIsBlocked() throws Exception {
        DecisionRecord d = refusedByCurl(strict, "dlp", "-H", "Authorization: Basic " + b64("agent:" + AWS), url("/a"));
        assertThat(d.detail()).isEqualTo("found aws-access-key via header Authorization / base64");
        refusedByCurl(strict, "dlp", "-u", "agent:" + AWS, url("/a"));
    }

    @Test
    void aSecretInTheProxyAuthorizationHeaderIsBlocked() throws Exception {
        DecisionRecord d = refusedByCurl(strict, "dlp", "-H", "Proxy-Authorization: Basic " + b64("u:" + AWS), url("/a"));
        assertThat(d.detail()).isEqualTo("found aws-access-key via header Proxy-Authorization / base64");
    }

    @Test
    void aSecretInACookieIsBlocked() throws Exception {
        DecisionRecord d = refusedByCurl(strict, "dlp", "-b", "k=" + HexFormat.of().formatHex(AWS.getBytes(StandardCharsets.US_ASCII)),
                url("/a"));
        assertThat(d.detail()).isEqualTo("found aws-access-key via header Cookie / hex");
    }

    @Test
    void aDoublyPercentEncodedSecretInTheQueryIsBlocked() throws Exception {
        StringBuilder twice = new StringBuilder();
        for (char c : AWS.toCharArray()) {
            twice.append(String.format("%%25%02X", (int) c));
        }
        DecisionRecord d = refusedByCurl(lenient, "dlp", url("/q?k=" + twice));
        assertThat(d.detail()).isEqualTo("found aws-access-key via request-line / percent / percent");
    }

    @Test
    void wrappedSecretsInTheBodyAreBlockedInBothModes() throws Exception {
        StringBuilder json = new StringBuilder();
        for (char c : AWS.toCharArray()) {
            json.append(String.format("\\u%04x", (int) c));
        }
        String zeroWidth = AWS.substring(0, 4) + "\u200b" + AWS.substring(4, 12) + "\u2060" + AWS.substring(12);
        StringBuilder qp = new StringBuilder();
        for (char c : AWS.toCharArray()) {
            qp.append(String.format("=%02X", (int) c));
        }
        for (int port : new int[] {strict, lenient}) {
            assertThat(refusedByCurl(port, "dlp", "--data-binary", "{\"k\":\"" + b64(AWS) + "\"}", url("/b")).detail())
                    .isEqualTo("found aws-access-key via body / base64");
            assertThat(refusedByCurl(port, "dlp", "--data-binary", "{\"k\":\"" + json + "\"}", url("/b")).detail())
                    .isEqualTo("found aws-access-key via body / json-escape");
            assertThat(refusedByCurl(port, "dlp", "--data-binary", "k=" + zeroWidth, url("/b")).detail())
                    .isEqualTo("found aws-access-key via body / invisible");
            assertThat(refusedByCurl(port, "dlp", "--data-binary", "k=" + qp, url("/b")).detail())
                    .isEqualTo("found aws-access-key via body / quoted-printable");
        }
    }

    @Test
    void aGzipBodyWithASecretIsBlockedInStrictAndLenient() throws Exception {
        byte[] gz = gzip(("{\"k\":\"" + AWS + "\"}").getBytes(StandardCharsets.UTF_8));
        for (int port : new int[] {strict, lenient}) {
            fx.records.clear();
            int before = origin.hits();
            HttpResponse<String> r = jdkPost(port, gz, "gzip");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("X-Egress-Denied")).hasValue("dlp");
            assertThat(origin.hits()).isEqualTo(before);
            assertThat(fx.awaitRecord(x -> x.reason().equals("dlp")).detail())
                    .isEqualTo("found aws-access-key via body / gzip");
        }
        // A clean gzip body is scanned and forwarded as sent, still compressed.
        byte[] clean = gzip("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> ok = jdkPost(lenient, clean, "gzip");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(origin.bodies().get(origin.bodies().size() - 1).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(clean);
    }

    @Test
    void aGzipBombAndAnUndecodableBodyAreRefused() throws Exception {
        byte[] bomb = gzip(new byte[64 << 20]);
        for (int port : new int[] {strict, lenient}) {
            fx.records.clear();
            HttpResponse<String> r = jdkPost(port, bomb, "gzip");
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("X-Egress-Denied")).hasValue("dlp-unscannable");
            assertThat(fx.awaitRecord(x -> x.reason().equals("dlp-unscannable")).detail()).contains("compression bomb");
        }
        assertThat(jdkPost(strict, new byte[] {1, 2, 3, 4}, "br").headers().firstValue("X-Egress-Denied"))
                .hasValue("dlp-unscannable");
        assertThat(jdkPost(strict, "not gzip".getBytes(StandardCharsets.US_ASCII), "gzip").statusCode()).isEqualTo(403);
    }

    @Test
    void lenientRedactsAPlainSecretInACookie() throws Exception {
        fx.records.clear();
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(lenient), "-b", "k=" + AWS, "--data-binary", "x " + AWS, url("/r"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(origin.bodies().get(origin.bodies().size() - 1)).isEqualTo("x [REDACTED:aws-access-key]");
        DecisionRecord d = fx.awaitRecord(x -> x.reason().equals("dlp-redacted"));
        assertThat(d.detail()).contains("aws-access-key via header Cookie").contains("aws-access-key via body")
                .doesNotContain(AWS);
    }
}
