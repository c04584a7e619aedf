package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageBuildOptions;
import dev.rtfs.microvm.guest.ImageBuildResult;
import dev.rtfs.microvm.guest.ImageBuilder;
import dev.rtfs.microvm.guest.UserlandOptions;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.supervisor.RunRequest;
import dev.rtfs.microvm.vmm.attest.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Intercepted HTTPS from inside a real guest (QEMU, the default Debian userland image, built once and trusting no
 * test CA): the config says {@code :tls :intercept}, so the supervisor hands the proxy's per-run CA to the guest on
 * the run config disk, and the guest's curl (http.get/http.post, and a user capability's own curl) trusts it for
 * this run. The proxy verifies the loopback origin with the config's {@code :upstream_ca}, sees every decrypted
 * request, applies strict DLP and the step's methods, and injects the credential that only the host holds.
 * Loopback only: api.example.com resolves to 127.0.0.1 at the proxy and port 443 maps to the origin's port. Skipped
 * locally without QEMU, the kernel or the userland's .debs; failed under CI=true.
 */
class InterceptedHttpsFromTheGuestTest {

    private static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    private static final Path TLS_CONFIG = ROOT.resolve("docs/examples/agent.config.tls.rtfs");
    private static final String AWS_KEY = "AKIAQ3EGRESSTESTK7ZP";
    private static final String SECRET = "s3cr3t-only-the-host-holds-91f2c";

    @TempDir static Path dir;
    private static HttpsServer origin;
    /** What reached the origin: "METHOD path X-Api-Key=... body=...", one line per request. */
    private static final List<String> seen = new CopyOnWriteArrayList<>();
    private static JsonNode report;
    private static Path runDir;

    @BeforeAll
    static void runAnInterceptingPlanInARealGuest() throws Exception {
        HttpsFromTheGuestTest.requireThat(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")),
                "qemu-system-x86 is not installed");
        DemoTls tls = DemoTls.create("api.example.com");
        Path originCa = tls.writeCaPem(dir.resolve("origin-ca.pem"));
        // A user capability that sends DELETE with its own curl: its manifest says GET, so the step's ACL says GET.
        Path caps = Files.createDirectories(dir.resolve("caps/api.delete"));
        Files.writeString(caps.resolve("capability.rtfs"), """
                (capability :api.delete
                  :effects [[:network {:domains ["api.example.com"] :methods [:GET] :ports [443]}]]
                  :entry "run")
                """);
        Files.writeString(caps.resolve("run"), """
                #!/bin/sh
                code=$(curl -q -sS -o /dev/null -w '%{http_code}' -X DELETE --proxy "$HTTPS_PROXY" \\
                    https://api.example.com/echo 2>/dev/null)
                printf '{"status":"%s"}' "$code"
                """);
        Files.setPosixFilePermissions(caps.resolve("run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        CapabilityPackaging packaging = CapabilityPackaging.of(dir.resolve("caps"));
        assertThat(packaging.refused()).isEmpty();
        ImageBuildResult image = null;
        try {
            image = ImageBuilder.system().build(ImageBuildOptions.defaults(dir.resolve("image"))
                    .withUserland(new UserlandOptions(List.of(), UserlandOptions.defaultDebDirs(System.getenv()), List.of()))
                    .withCapabilityPackages(dir.resolve("caps"), packaging.packed()), s -> { });
        } catch (ImageBuildException e) {
            HttpsFromTheGuestTest.requireThat(false, "cannot build the default image: " + e.getMessage());
        }
        origin = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        origin.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        origin.createContext("/", InterceptedHttpsFromTheGuestTest::answer);
        origin.start();

        Path secret = Files.writeString(dir.resolve("api-key"), SECRET);
        String text = Files.readString(TLS_CONFIG);
        int from = text.indexOf("  :network");
        int to = text.indexOf("  :microvm");
        assertThat(from).isPositive();
        assertThat(to).isGreaterThan(from);
        String config = text.substring(0, from) + """
                  :network
                  {:enabled true
                   :egress {:via :proxy
                            :allow-domains ["api.example.com"]
                            :tls :intercept
                            :upstream_ca "%s"
                            :credentials {"api.example.com" [{:header "X-Api-Key" :file "%s"}]}}}

                """.formatted(originCa, secret) + text.substring(to);
        SourceFile configFile = new SourceFile(dir.resolve("intercept.config.rtfs").toString(), config);
        SourceFile plan = new SourceFile(dir.resolve("intercept.plan.rtfs").toString(), """
                (plan ^{:effects [[:network {:domains ["api.example.com"] :methods [:GET :POST]}]]
                        :resources {:max_time_ms 30000}}
                  :program (do (step "fetch" (call :http.get {:url "https://api.example.com/index.json"}))
                               (step "leak" (call :http.post {:url "https://api.example.com/leak"
                                                              :body "aws_access_key_id=%s"}))
                               (step "echo" (call :http.post {:url "https://api.example.com/echo"
                                                              :headers {"X-Api-Key" "guest-made-up"} :body "hello"}))
                               (step "delete" (call :api.delete {}))))
                """.formatted(AWS_KEY));
        runDir = dir.resolve("run");
        RunRequest request = RunRequest.of(configFile, plan, image.layout().root(), runDir)
                .withGuest(image.layout().initramfs(), Optional.of(image.layout().capabilities()))
                .withEgressOverrides(Map.of("api.example.com", List.of(InetAddress.getLoopbackAddress())),
                        List.of("127.0.0.0/8"))
                .withOriginPorts(Map.of(443, origin.getAddress().getPort()))
                .withChainKey(dir.resolve("chain-key"));
        report = JsonRunReport.of(request, configFile, plan);
    }

    @AfterAll
    static void stopTheOrigin() {
        if (origin != null) origin.stop(0);
    }

    private static void answer(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            seen.add(ex.getRequestMethod() + " " + path + " X-Api-Key=" + ex.getRequestHeaders().getFirst("X-Api-Key")
                    + " body=" + body);
            // Never echo the key: the guest must not learn it from the origin either.
            String answer = switch (path) {
                case "/index.json" -> "{\"items\":[\"alpha\"]}";
                default -> ex.getRequestMethod() + " " + body + " key-present="
                        + (ex.getRequestHeaders().getFirst("X-Api-Key") != null);
            };
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    private static JsonNode step(int i) {
        assertThat(report.get("steps")).as(report.toString()).isNotNull().hasSizeGreaterThan(i);
        return report.get("steps").get(i);
    }

    private static JsonNode call(int i) {
        JsonNode c = step(i).get("calls").get(0);
        assertThat(c.get("ok").asBoolean()).as(c.toString()).isTrue();
        return c.get("value");
    }

    @Test
    void anHttpsGetThroughInterceptionSucceedsAndIsDecidedAsTheDecryptedRequest() {
        assertThat(call(0).get("status").asInt()).isEqualTo(200);
        assertThat(call(0).get("body").asString()).isEqualTo("{\"items\":[\"alpha\"]}");
        String egress = step(0).get("egress").toString();
        assertThat(egress).contains("\"method\":\"GET\",\"host\":\"api.example.com\",\"port\":443")
                .contains("\"method\":\"CONNECT\"");
        assertThat(seen).anyMatch(s -> s.startsWith("GET /index.json"));
    }

    @Test
    void anAwsKeyInAnHttpsPostBodyIsRefusedUnderStrictDlpAndTheOriginSeesNothing() {
        assertThat(call(1).get("status").asInt()).isEqualTo(403);
        assertThat(call(1).get("denied").asString()).startsWith("dlp");
        assertThat(step(1).get("egress").toString()).contains("\"method\":\"POST\"").contains("\"decision\":\"DENY\"");
        assertThat(seen).noneMatch(s -> s.contains("/leak") || s.contains(AWS_KEY));
    }

    @Test
    void theInjectedCredentialReachesTheOriginInPlaceOfTheGuestsAndIsNeverShown() throws IOException {
        assertThat(call(2).get("status").asInt()).isEqualTo(200);
        assertThat(call(2).get("body").asString()).isEqualTo("POST hello key-present=true");
        assertThat(seen).contains("POST /echo X-Api-Key=" + SECRET + " body=hello");
        assertThat(report.toString()).doesNotContain(SECRET);
        // Not in the chain, the guest log or anything else the run left behind.
        try (Stream<Path> files = Files.walk(runDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain(SECRET);
            }
        }
    }

    @Test
    void aMethodOutsideTheStepsAclOverHttpsGets403FromTheProxy() {
        // The capability's own curl trusted the run's CA through CURL_CA_BUNDLE: the answer came over TLS.
        assertThat(call(3).get("status").asString()).isEqualTo("403");
        assertThat(step(3).get("egress").toString()).contains("\"method\":\"DELETE\"")
                .contains("\"reason\":\"method-not-allowed\"");
        assertThat(seen).noneMatch(s -> s.startsWith("DELETE"));
    }

    @Test
    void theRunConfigDiskIsRecordedInTheChainAndTheRunIsAttestedAsBefore() throws IOException {
        assertThat(report.get("chain")).as(report.toString()).isNotNull();
        assertThat(report.get("chain").get("valid").asBoolean()).isTrue();
        String chain;
        try (Stream<Path> files = Files.walk(runDir.resolve("chain"))) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).toList()) all.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            chain = all.toString();
        }
        assertThat(chain).containsPattern("\"run_config\":\\{\"ca_sha256\":\"sha256:[0-9a-f]{64}\",\"disk\":\"run-config.img\","
                + "\"sha256\":\"" + Sha256.ofFile(runDir.resolve("run-config.img")) + "\"}");
        assertThat(Files.readString(runDir.resolve("guest.log"))).contains("trusting the run's CA from /dev/vdc");
    }
}
