package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTPS from inside a real guest (QEMU, the default Debian userland image built once with a test CA): the guest's
 * curl goes through the egress proxy with CONNECT to a loopback TLS origin standing in for example.com, verifies
 * it with the image's trust store and the config's {@code :tls_pins}, and a CONNECT outside the step's ACL gets
 * 403. Then {@code demo --plan docs/examples/plan.networked.rtfs --format json}. Loopback only: the proxy resolves
 * example.com to 127.0.0.1 and dials port 443 as the origin's port; exfil.invalid is denied by name, never
 * resolved. Skipped locally without QEMU, the kernel or the userland's .debs; failed under CI=true.
 */
class HttpsFromTheGuestTest {

    private static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();
    private static final Path CONFIG = ROOT.resolve("docs/examples/agent.config.microvm.rtfs");
    private static final String PLACEHOLDER_PINS = ":tls_pins [\"sha256/...\"]";
    private static final String INTERCEPT = ":tls :intercept";

    @TempDir static Path dir;
    private static DemoTls tls;
    private static ImageBuildResult image;
    private static HttpsServer origin;

    static void requireThat(boolean ok, String message) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(message + " [CI=true: prerequisites must be present]");
        Assumptions.abort(message + " — skipped (set CI=true to make this a failure)");
    }

    @BeforeAll
    static void buildTheImageTrustingATestCaAndStartTheTlsOrigin() throws Exception {
        requireThat(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 is not installed");
        tls = DemoTls.create("example.com");
        Path ca = tls.writeCaPem(dir.resolve("ca.pem"));
        try {
            image = ImageBuilder.system().build(ImageBuildOptions.defaults(dir.resolve("image")).withUserland(
                    new UserlandOptions(List.of(), UserlandOptions.defaultDebDirs(System.getenv()), List.of(ca))), s -> { });
        } catch (ImageBuildException e) {
            requireThat(false, "cannot build the default image: " + e.getMessage());
        }
        origin = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        origin.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        origin.createContext("/", HttpsFromTheGuestTest::answer);
        origin.start();
    }

    @AfterAll
    static void stopTheOrigin() {
        if (origin != null) origin.stop(0);
    }

    /** /index.json a body; /echo the request's method, X-Token and body; /escape a redirect to a denied name. */
    private static void answer(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/escape")) {
                ex.getResponseHeaders().set("Location", "https://exfil.invalid/collect");
                ex.sendResponseHeaders(302, -1);
                return;
            }
            String body = switch (path) {
                case "/index.json" -> "{\"items\":[\"alpha\"]}";
                case "/echo" -> ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("X-Token") + " "
                        + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                default -> "";
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(bytes.length > 0 ? 200 : 404, bytes.length > 0 ? bytes.length : -1);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }

    /**
     * Runs {@code plan} with the example config tunnelling (it intercepts; here the guest's own TLS is under test)
     * and pinned to {@code pin}; the run report as JSON.
     */
    private static JsonNode runWithPin(String name, String pin, String plan) throws IOException {
        String configText = Files.readString(CONFIG);
        assertThat(configText).contains(PLACEHOLDER_PINS).contains(INTERCEPT);
        SourceFile config = new SourceFile(dir.resolve(name + ".config.rtfs").toString(),
                configText.replace(PLACEHOLDER_PINS, ":tls_pins [\"" + pin + "\"]").replace(INTERCEPT, ":tls :tunnel"));
        SourceFile planFile = new SourceFile(dir.resolve(name + ".plan.rtfs").toString(), plan);
        RunRequest request = RunRequest.of(config, planFile, image.layout().root(), dir.resolve("run-" + name))
                .withGuest(image.layout().initramfs(), Optional.of(image.layout().capabilities()))
                .withEgressOverrides(Map.of("example.com", List.of(InetAddress.getLoopbackAddress())),
                        List.of("127.0.0.0/8"))
                .withOriginPorts(Map.of(443, origin.getAddress().getPort()))
                .withChainKey(dir.resolve("chain-key"));
        return JsonRunReport.of(request, config, planFile);
    }

    @Test
    void aGuestHttpsGetAndPostThroughTheProxySucceedAndAConnectOutsideTheStepsAclGets403() throws IOException {
        JsonNode report = runWithPin("pinned", tls.leafPin(), """
                (plan ^{:effects [[:network {:domains ["example.com"] :methods [:GET :POST]}]]
                        :resources {:max_time_ms 30000}}
                  :program (do (step "fetch" (call :http.get {:url "https://example.com/index.json"}))
                               (step "post" (call :http.post {:url "https://example.com/echo"
                                                              :headers {"X-Token" "t-1"} :body "hello"}))
                               (step "escape" (call :http.get {:url "https://example.com/escape"}))))
                """);
        JsonNode steps = report.get("steps");
        JsonNode fetch = steps.get(0).get("calls").get(0);
        assertThat(fetch.get("ok").asBoolean()).as(fetch.toString()).isTrue();
        assertThat(fetch.get("value").get("status").asInt()).isEqualTo(200);
        assertThat(fetch.get("value").get("body").asString()).isEqualTo("{\"items\":[\"alpha\"]}");
        assertThat(steps.get(0).get("egress").toString())
                .contains("\"method\":\"CONNECT\",\"host\":\"example.com\",\"port\":443,\"decision\":\"ALLOW\"");

        JsonNode post = steps.get(1).get("calls").get(0);
        assertThat(post.get("ok").asBoolean()).as(post.toString()).isTrue();
        assertThat(post.get("value").get("body").asString()).isEqualTo("POST t-1 hello");

        JsonNode escape = steps.get(2).get("calls").get(0);
        assertThat(escape.get("ok").asBoolean()).isFalse();
        assertThat(escape.get("error").asString()).as(escape.toString())
                .contains("the egress proxy refused the CONNECT (403)").contains("domain-not-allowed");
        assertThat(steps.get(2).get("egress").toString())
                .contains("\"method\":\"CONNECT\",\"host\":\"exfil.invalid\",\"port\":443,\"decision\":\"DENY\"")
                .contains("\"status\":403");
        assertThat(report.get("succeeded").asBoolean()).isFalse();
    }

    @Test
    void anOriginWhoseKeyMatchesNoneOfTheConfigsPinsIsRefusedByTheGuest() throws IOException {
        String wrongPin = "sha256/" + Base64.getEncoder().encodeToString(new byte[32]);
        JsonNode report = runWithPin("wrong-pin", wrongPin, """
                (plan ^{:effects [[:network {:domains ["example.com"] :methods [:GET]}]] :resources {:max_time_ms 30000}}
                  :program (do (step "fetch" (call :http.get {:url "https://example.com/index.json"}))))
                """);
        JsonNode call = report.get("steps").get(0).get("calls").get(0);
        assertThat(call.get("ok").asBoolean()).isFalse();
        assertThat(call.get("error").asString()).as(call.toString()).contains("TLS pin mismatch");
        // The proxy allowed the tunnel: the refusal is the guest's own.
        assertThat(report.get("steps").get(0).get("egress").toString()).contains("\"decision\":\"ALLOW\"");
    }

    @Test
    void demoRunsTheNetworkedExamplePlanOverHttpsAndPrintsTheRunReportAsJson() {
        CliRun r = run("demo", "--work", dir.resolve("demo").toString(), "--chain-key", dir.resolve("chain-key").toString(),
                "--plan", ROOT.resolve("docs/examples/plan.networked.rtfs").toString(), "--format", "json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).contains("demo: working in ", "example.com:443 -> loopback TLS origin");
        JsonNode report = JsonMapper.builder().build().readTree(r.out());
        assertThat(report.get("succeeded").asBoolean()).isTrue();
        assertThat(report.get("steps")).hasSize(3);
        JsonNode fetch = report.get("steps").get(0);
        assertThat(fetch.get("name").asString()).isEqualTo("fetch-index");
        assertThat(fetch.get("calls").get(0).get("value").get("status").asInt()).isEqualTo(200);
        assertThat(fetch.get("egress").get(0).get("method").asString()).isEqualTo("CONNECT");
        assertThat(fetch.get("egress").get(0).get("port").asInt()).isEqualTo(443);
        assertThat(report.get("chain").get("valid").asBoolean()).isTrue();
    }

    @Test
    void theDefaultImageIsTheDebianUserlandWithinItsSizeBound() throws IOException {
        assertThat(image.lock().userlandPackages()).extracting(p -> p.name()).contains("curl", "ca-certificates");
        long bytes = 0;
        for (Path p : List.of(image.layout().initramfs(), image.layout().rootfs(), image.layout().capabilities())) {
            bytes += Files.size(p);
        }
        assertThat(bytes).as("initramfs + rootfs + capability store").isLessThanOrEqualTo(64L << 20);
    }
}
