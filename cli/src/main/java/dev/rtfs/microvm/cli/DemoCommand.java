package dev.rtfs.microvm.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.controlplane.chain.HostKey;
import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageBuildOptions;
import dev.rtfs.microvm.guest.ImageBuildResult;
import dev.rtfs.microvm.guest.ImageBuilder;
import dev.rtfs.microvm.guest.UserlandOptions;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.supervisor.RunRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm demo [--work DIR] [--plan FILE] [--format text|json]}: the example agent end to end on this
 * machine. Makes a test CA for the work directory, builds the guest image (the Debian userland; no extra trust
 * anchor), starts loopback origins standing in for example.com over HTTP and HTTPS (the egress proxy maps the name
 * to 127.0.0.1 and ports 80/443 to the origins' ephemeral ports for this run; nothing leaves the machine), runs the
 * demo plan (or {@code --plan FILE}) with the documented example config in a QEMU microvm, and
 * prints what {@code run} prints: the step table and the egress decisions, or with {@code --format json} the run
 * report. Exit codes as {@code run}. The example config intercepts TLS: the guest trusts the proxy's per-run CA (from
 * the run config disk, not the image), the proxy verifies the HTTPS origin with the test CA (the run's
 * {@link RunRequest#withUpstreamCa upstream CA}) and applies strict DLP to every decrypted request.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the example agent end to end in a real MicroVM (loopback traffic only).",
                "The guest reaches example.com over http:// and https:// (ports 80 and 443): the egress proxy sends "
                        + "both to loopback origins, the HTTPS one with a certificate from a test CA made for the work "
                        + "directory (demo-ca.pem). The example config says :tls :intercept: the proxy terminates the "
                        + "guest's TLS with its per-run CA (which the guest trusts for this run only), verifies the "
                        + "origin with demo-ca.pem, and applies strict DLP to every request inside HTTPS: a plan that "
                        + "sends a secret to https://example.com/ gets 403 (dlp) and the origin never sees it. The "
                        + "example config's placeholder :tls_pins pin nothing (only valid pins are enforced)."})
final class DemoCommand implements Callable<Integer> {

    static final String ORIGIN_BODY = "{\"items\":[\"alpha\",\"beta\",\"gamma\"]}";
    /** The name the demo's origins answer for (the example config's only allowed domain). */
    static final String ORIGIN_HOST = "example.com";
    /** The user capability the demo ships and its plan calls (resources demo/capabilities/). */
    static final String DEMO_CAPABILITY = "text.wordcount";
    /**
     * Where the origin's {@code /moved} redirects: a name outside every allowlist. The proxy denies it by name, so
     * it is never resolved or dialed.
     */
    static final String REDIRECT_TARGET = "http://exfil.invalid/collect";

    @Spec CommandSpec spec;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where the image, CA, config, plan and run go (default: a new directory under /tmp).")
    String work;

    @Option(names = "--plan", paramLabel = "FILE",
            description = "Run this plan instead of the demo plan, against the same origins (e.g. "
                    + "docs/examples/plan.networked.rtfs).")
    String planFile;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Output format: text or json (the run report, as `run --format json`; the demo's own "
                    + "lines go to stderr) (default: ${DEFAULT-VALUE}).")
    String format = "text";

    @Option(names = "--chain-key", paramLabel = "PATH",
            description = "Host key that signs the causal chain's head, created on first use (mode 0600) "
                    + "(default: $RTFS_MICROVM_HOME/chain-key, else ~/.local/state/rtfs-microvm/chain-key).")
    String chainKey;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr (errors are still printed).")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat chosen = DiagnosticOutput.textOrJson(format);
        // The user's plan is read first, once and bounded: a refused file stops the demo before any build.
        Optional<SourceFile> userPlan = Optional.empty();
        if (planFile != null) {
            CliIo.Inputs inputs = CliIo.readAll(List.of(planFile));
            if (!inputs.refused().isEmpty()) {
                return DiagnosticOutput.printRefused(out, chosen, inputs.refused());
            }
            userPlan = Optional.of(inputs.sources().get(planFile));
        }
        // stdout carries only the report in JSON mode.
        PrintWriter info = chosen == ReportFormat.JSON ? err : out;
        Progress progress = Progress.of("demo", quiet, err);
        Path dir = work != null ? Files.createDirectories(Path.of(work).toAbsolutePath())
                : Files.createTempDirectory(Path.of("/tmp"), "rtfs-demo-");
        info.println("demo: working in " + dir);
        info.flush();

        DemoTls tls = DemoTls.create(ORIGIN_HOST);
        Path caPem = tls.writeCaPem(dir.resolve("demo-ca.pem"));
        ImageBuildResult image;
        try {
            // Not boot-checked here: the run boots it right away and says why, should it not boot.
            Path capabilities = writeCapabilities(dir.resolve("capabilities"));
            CapabilityPackaging packaging = CapabilityPackaging.of(capabilities);
            if (packaging.refused().isPresent()) {
                throw new IllegalStateException("the demo's own capability packages do not check: " + packaging.refused());
            }
            // No extra trust anchor: under interception the guest trusts the proxy's per-run CA from the run
            // config disk, and only the proxy needs the origin's test CA.
            ImageBuildOptions options = ImageBuildOptions.defaults(dir.resolve("image")).withUserland(
                    new UserlandOptions(List.of(), UserlandOptions.defaultDebDirs(System.getenv()), List.of()))
                    .withCapabilityPackages(capabilities, packaging.packed());
            image = ImageBuilder.system().build(options, line -> progress.line("image build: " + line));
        } catch (ImageBuildException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Main.FAILED;
        }
        info.println("demo: guest image built in " + image.elapsed().toMillis() + " ms (" + image.layout().root() + ")");

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        DemoOriginLog served = new DemoOriginLog();
        http.createContext("/", ex -> answer(ex, served, "http"));
        https.createContext("/", ex -> answer(ex, served, "https"));
        http.start();
        https.start();
        try {
            SourceFile config = copy("agent.config.microvm.rtfs", dir);
            SourceFile plan = userPlan.isPresent() ? userPlan.get() : copy("plan.demo.rtfs", dir);
            int httpPort = http.getAddress().getPort();
            int httpsPort = https.getAddress().getPort();
            info.println("demo: config " + config.name() + ", plan " + plan.name());
            info.println("demo: " + ORIGIN_HOST + ":80 -> loopback origin 127.0.0.1:" + httpPort + ", " + ORIGIN_HOST
                    + ":443 -> loopback TLS origin 127.0.0.1:" + httpsPort + " (intercepted; the proxy trusts "
                    + caPem.getFileName() + ")");
            info.flush();
            RunRequest request = RunRequest.of(config, plan, image.layout().root(), dir.resolve("run"))
                    .withGuest(image.layout().initramfs(), Optional.of(image.layout().capabilities()))
                    .withEgressOverrides(Map.of(ORIGIN_HOST, List.of(InetAddress.getLoopbackAddress())),
                            List.of("127.0.0.0/8"))
                    .withOriginPorts(Map.of(80, httpPort, 443, httpsPort))
                    .withUpstreamCa(caPem)
                    .withChainKey(chainKey != null ? Path.of(chainKey) : HostKey.defaultPath());
            int exit = RunCommand.execute(request, Map.of(config.name(), config, plan.name(), plan), chosen, out, err,
                    progress);
            // What actually reached the origins: a request the proxy refused is not among them.
            info.println("demo: the loopback origins served " + served.summary());
            info.flush();
            return exit;
        } finally {
            http.stop(0);
            https.stop(0);
        }
    }

    /** Both origins: /index.json the JSON list, /moved an open redirect to {@link #REDIRECT_TARGET}, else 404. */
    private static void answer(HttpExchange exchange, DemoOriginLog served, String scheme) throws IOException {
        try (exchange) {
            served.add(scheme + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            if (exchange.getRequestURI().getPath().equals("/moved")) {
                // An open redirect to a domain the step may not reach: the egress proxy must deny the hop.
                exchange.getResponseHeaders().set("Location", REDIRECT_TARGET);
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            byte[] body = exchange.getRequestURI().getPath().equals("/index.json")
                    ? ORIGIN_BODY.getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length : -1);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        }
    }

    /** The user capability shipped with the demo, as a package directory a user would write: manifest and program. */
    private static Path writeCapabilities(Path dir) throws IOException {
        Path pkg = Files.createDirectories(dir.resolve(DEMO_CAPABILITY));
        copy("capabilities/" + DEMO_CAPABILITY + "/capability.rtfs", pkg);
        Path run = Path.of(copy("capabilities/" + DEMO_CAPABILITY + "/run", pkg).name());
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /**
     * Writes the packed resource {@code name} into {@code dir} for the user to look at; the run takes the text
     * written (named by the file), not the file read back.
     */
    private static SourceFile copy(String name, Path dir) throws IOException {
        String text;
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new IOException("the CLI jar lacks demo/" + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = Files.writeString(dir.resolve(Path.of(name).getFileName().toString()), text);
        return new SourceFile(file.toString(), text);
    }
}
