package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.control.ControlApi;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.secrets.HostSecretResolver;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inject_headers} through the host's real curl and an intercepting proxy: the origin receives credentials the
 * guest never had, a guest header of the same name is replaced, plain HTTP gets nothing, the values never show in
 * records, log lines or control API answers, and a guest request carrying a held secret is refused as exfiltration.
 */
class SecretInjectionEndToEndTest {

    /**
     * The protocol curl asks for inside the tunnel (ALPN): HTTP/1.1 here; {@link SecretInjectionOverH2EndToEndTest} runs
     * every test again over h2, where each stream must meet the same rules.
     */
    String protocol() {
        return "--http1.1";
    }

    static final String TOKEN = "tok-0123456789abcdef-live";
    static final String FILE_SECRET = "file-secret-XYZ-987654";

    static ProxyFixture fx;
    static LoopbackOrigin api;
    static LoopbackOrigin plain;
    static Path proxyCa;
    static Path keyFile;
    static String common;
    static int strict;
    static int lenient;
    static int off;
    /** The proxy's "environment": a map, never the test JVM's own. */
    static final Map<String, String> ENV = new ConcurrentHashMap<>();
    static final List<String> LOG_LINES = new ArrayList<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Curl.requireCurl();
        TestCa ca = new TestCa();
        Path originCa = ca.writeCaPem(tmp);
        api = LoopbackOrigin.https(ca.serverLeaf("api.test", "other.test").context());
        plain = LoopbackOrigin.http();
        keyFile = tmp.resolve("key");
        Files.writeString(keyFile, FILE_SECRET + "\n");
        ENV.put("API_TOKEN", TOKEN);

        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2), new HostSecretResolver(ENV::get));
        for (String h : List.of("api.test", "other.test", "plain.test")) {
            fx.resolver.map(h, "127.0.0.1");
        }
        proxyCa = tmp.resolve("proxy-ca.pem");
        Files.writeString(proxyCa, fx.proxy.interceptionCaPem());
        common = "\"allow_domains\":[\"api.test\",\"other.test\",\"plain.test\"],\"allow_methods\":[\"GET\",\"POST\"],"
                + "\"connect_ports\":[" + api.port() + "],\"allow_ranges\":[\"127.0.0.0/8\"],\"tls\":\"intercept\","
                + "\"upstream_ca\":\"" + originCa + "\",\"inject_headers\":{"
                + "\"api.test\":[{\"name\":\"Authorization\",\"env\":\"API_TOKEN\",\"prefix\":\"Bearer \"},"
                + "{\"name\":\"X-Key\",\"file\":\"" + keyFile + "\"}],"
                + "\"plain.test\":[{\"name\":\"Authorization\",\"env\":\"API_TOKEN\",\"prefix\":\"Bearer \"}]}";
        strict = fx.agent("inj-strict", "{" + common + ",\"dlp\":\"strict\"}");
        lenient = fx.agent("inj-lenient", "{" + common + ",\"dlp\":\"lenient\"}");
        off = fx.agent("inj-off", "{" + common + ",\"dlp\":\"off\"}");
    }

    @AfterAll
    static void stop() {
        fx.close();
        api.close();
        plain.close();
    }

    Curl.Result curl(int listener, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(protocol(), "--cacert", proxyCa.toString(), "-x",
                fx.proxyUrl(listener)));
        all.addAll(List.of(args));
        return Curl.run(tmp, all.toArray(String[]::new));
    }

    static String url(String host, String path) {
        return "https://" + host + ":" + api.port() + path;
    }

    static com.sun.net.httpserver.Headers lastHeaders(LoopbackOrigin o) {
        return o.headers().get(o.headers().size() - 1);
    }

    @Test
    void theOriginReceivesTheInjectedCredentialsTheGuestNeverSent() throws Exception {
        Curl.Result r = curl(strict, url("api.test", "/v1/me"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(lastHeaders(api).get("Authorization")).containsExactly("Bearer " + TOKEN);
        assertThat(lastHeaders(api).get("X-Key")).as("a file's trailing newline is trimmed").containsExactly(FILE_SECRET);
        assertThat(r.body()).doesNotContain(TOKEN);
    }

    @Test
    void aGuestSuppliedHeaderOfTheSameNameIsReplaced() throws Exception {
        Curl.Result r = curl(strict, "-H", "Authorization: guest-placeholder", "-H", "x-key: mine",
                url("api.test", "/v1/replace"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(lastHeaders(api).get("Authorization")).containsExactly("Bearer " + TOKEN);
        assertThat(lastHeaders(api).get("X-Key")).containsExactly(FILE_SECRET);
    }

    @Test
    void anAllowedDomainWithoutInjectedHeadersGetsNone() throws Exception {
        Curl.Result r = curl(strict, url("other.test", "/v1/x"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(lastHeaders(api).containsKey("Authorization")).isFalse();
        assertThat(lastHeaders(api).containsKey("X-Key")).isFalse();
    }

    @Test
    void plainHttpToAnInjectedDomainGetsNoSecretOnTheWire() throws Exception {
        Curl.Result r = Curl.run(tmp, "-x", fx.proxyUrl(strict), "http://plain.test:" + plain.port() + "/p");
        assertThat(r.status()).isEqualTo(200);
        assertThat(lastHeaders(plain).containsKey("Authorization")).isFalse();
    }

    @Test
    void aGuestEchoingAHeldSecretIsRefusedAsExfiltrationInEveryModeAndTheOriginSeesNothing() throws Exception {
        String b64 = Base64.getEncoder().encodeToString(("token=" + TOKEN).getBytes(StandardCharsets.UTF_8));
        StringBuilder pct = new StringBuilder();
        for (byte b : FILE_SECRET.getBytes(StandardCharsets.UTF_8)) {
            pct.append(String.format("%%%02X", b));
        }
        List<List<String>> leaks = List.of(
                List.of("-H", "X-Echo: " + TOKEN, url("api.test", "/h")),
                List.of("--data-binary", "k=" + FILE_SECRET, url("api.test", "/body")),
                List.of("--data-binary", "blob=" + b64, url("api.test", "/b64")),
                List.of(url("api.test", "/q?k=" + pct)),
                List.of("-H", "X-Echo: " + TOKEN, url("other.test", "/to-another-allowed-domain")));
        for (int listener : List.of(strict, lenient, off)) {
            for (List<String> leak : leaks) {
                int before = api.hits();
                Curl.Result r = curl(listener, leak.toArray(String[]::new));
                assertThat(r.status()).as(leak + " via " + listener).isEqualTo(403);
                assertThat(r.header("X-Egress-Denied")).as(leak.toString()).isEqualTo("dlp-held-secret");
                assertThat(api.hits()).as("the origin saw nothing of " + leak).isEqualTo(before);
            }
        }
        DecisionRecord d = fx.awaitRecord(x -> x.reason().equals("dlp-held-secret"));
        assertThat(d.detail()).contains("held-secret").doesNotContain(TOKEN).doesNotContain(FILE_SECRET);
    }

    @Test
    void reportModeStillRefusesAHeldSecret() throws Exception {
        fx.proxy.setMode(EnforcementMode.REPORT);
        try {
            int before = api.hits();
            Curl.Result r = curl(strict, "-H", "X-Echo: " + TOKEN, url("api.test", "/report"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(api.hits()).isEqualTo(before);
        } finally {
            fx.proxy.setMode(EnforcementMode.ENFORCE);
        }
    }

    @Test
    void noRecordLogLineOrControlApiAnswerEverShowsAnInjectedValue() throws Exception {
        curl(strict, url("api.test", "/v1/logged"));
        curl(lenient, "-H", "X-Echo: " + TOKEN, url("api.test", "/v1/echo"));
        ControlApi control = new ControlApi(fx.proxy);
        List<String> texts = new ArrayList<>();
        for (DecisionRecord r : fx.proxy.decisions(10_000)) {
            texts.add(r.toLogLine());
            texts.add(ControlApi.toJson(r).toString());
        }
        texts.add(control.handle("GET", "/decisions?limit=10000", "").json());
        texts.add(control.handle("GET", "/agents/inj-strict", "").json());
        texts.add(fx.proxy.agentState("inj-strict").orElseThrow().toString());
        texts.add(fx.proxy.meterRegistry().scrape());
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(TOKEN).doesNotContain(FILE_SECRET));
        assertThat(control.handle("GET", "/agents/inj-strict", "").json())
                .contains("\"env\":\"API_TOKEN\"").contains(keyFile.toString());
    }

    @Test
    void aMissingVariableOrFileRefusesThePutNamingTheReferenceAndOtherAgentsAreUnaffected() throws Exception {
        ControlApi control = new ControlApi(fx.proxy);
        String missingEnv = "{" + common.replace("\"env\":\"API_TOKEN\"", "\"env\":\"NOT_SET_ANYWHERE\"") + "}";
        ControlApi.Response a = control.handle("PUT", "/agents/newcomer", missingEnv);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json()).contains("env NOT_SET_ANYWHERE").contains("not set").doesNotContain(TOKEN);
        assertThat(fx.proxy.agentState("newcomer")).isEmpty();

        // A replacement naming a missing file: refused, and the agent keeps its previous rules and secrets.
        String missingFile = "{" + common.replace(keyFile.toString(), tmp.resolve("absent").toString()) + "}";
        ControlApi.Response b = control.handle("PUT", "/agents/inj-strict", missingFile);
        assertThat(b.status()).isEqualTo(400);
        assertThat(b.json()).contains("file " + tmp.resolve("absent")).contains("no such file");
        Curl.Result r = curl(strict, url("api.test", "/still-works"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(lastHeaders(api).get("X-Key")).containsExactly(FILE_SECRET);
    }
}
