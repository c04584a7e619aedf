package dev.rtfs.microvm.cli;

import com.sun.net.httpserver.HttpServer;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.controlplane.chain.HostKey;
import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageBuildOptions;
import dev.rtfs.microvm.guest.ImageBuildResult;
import dev.rtfs.microvm.guest.ImageBuilder;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtfs-microvm demo [--work DIR]}: the example agent end to end on this machine. Builds the guest image,
 * starts a loopback origin standing in for example.com (the egress proxy maps the name to 127.0.0.1 for this run;
 * nothing leaves the machine), runs the demo plan with the documented example config in a QEMU microvm, and
 * prints what {@code run} prints: the step table and the egress decisions from the causal chain. Exit codes as
 * {@code run}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the example agent end to end in a real MicroVM (loopback traffic only).")
final class DemoCommand implements Callable<Integer> {

    static final String ORIGIN_BODY = "{\"items\":[\"alpha\",\"beta\",\"gamma\"]}";
    /**
     * Where the origin's {@code /moved} redirects: a name outside every allowlist. The proxy denies it by name, so
     * it is never resolved or dialed.
     */
    static final String REDIRECT_TARGET = "http://exfil.invalid/collect";

    @Spec CommandSpec spec;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where the image, config, plan and run go (default: a new directory under /tmp).")
    String work;

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
        Progress progress = Progress.of("demo", quiet, err);
        Path dir = work != null ? Files.createDirectories(Path.of(work).toAbsolutePath())
                : Files.createTempDirectory(Path.of("/tmp"), "rtfs-demo-");
        out.println("demo: working in " + dir);
        out.flush();

        ImageBuildResult image;
        try {
            // Not boot-checked here: the run boots it right away and says why, should it not boot.
            image = ImageBuilder.system().build(ImageBuildOptions.defaults(dir.resolve("image")),
                    line -> progress.line("image build: " + line));
        } catch (ImageBuildException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Main.FAILED;
        }
        out.println("demo: guest image built in " + image.elapsed().toMillis() + " ms (" + image.layout().root() + ")");

        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        origin.createContext("/", exchange -> {
            try (exchange) {
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
        });
        origin.start();
        try {
            SourceFile config = copy("agent.config.microvm.rtfs", dir, Map.of());
            SourceFile plan = copy("plan.demo.rtfs", dir,
                    Map.of("{{origin}}", "http://example.com:" + origin.getAddress().getPort()));
            out.println("demo: config " + config.name() + ", plan " + plan.name());
            out.println("demo: example.com -> loopback origin 127.0.0.1:" + origin.getAddress().getPort());
            out.flush();
            RunRequest request = RunRequest.of(config, plan, image.layout().root(), dir.resolve("run"))
                    .withGuest(image.layout().initramfs(), Optional.of(image.layout().capabilities()))
                    .withEgressOverrides(Map.of("example.com", List.of(InetAddress.getLoopbackAddress())),
                            List.of("127.0.0.0/8"))
                    .withChainKey(chainKey != null ? Path.of(chainKey) : HostKey.defaultPath());
            return RunCommand.execute(request, Map.of(config.name(), config, plan.name(), plan), ReportFormat.TEXT, out,
                    err, progress);
        } finally {
            origin.stop(0);
        }
    }

    /**
     * Writes the packed resource {@code name} into {@code dir}, with each key of {@code fill} replaced, for the user
     * to look at; the run takes the text written (named by the file), not the file read back.
     */
    private static SourceFile copy(String name, Path dir, Map<String, String> fill) throws IOException {
        String text;
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
            if (in == null) {
                throw new IOException("the CLI jar lacks demo/" + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, String> e : fill.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        Path file = Files.writeString(dir.resolve(name), text);
        return new SourceFile(file.toString(), text);
    }
}
