package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rtfs-microvm proxy}: runs from an ACL file, serves real clients, stops on interrupt; bad input exits 1/2. */
class ProxyCommandTest {

    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void servesAgentsFromTheFileUntilInterrupted() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        origin.createContext("/", ex -> {
            hits.incrementAndGet();
            byte[] b = "hello from origin".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        origin.start();
        Path acl = dir.resolve("acl.json");
        Files.writeString(acl, """
                {"mode":"enforce",
                 "agents":{"agent.a":{"listen":"127.0.0.1:0","allow_domains":["origin.test"],"allow_ranges":["127.0.0.0/8"]}},
                 "resolve":{"origin.test":["127.0.0.1"]}}""");
        Path sock = dir.resolve("ctl.sock");
        ProxyOutputWatch out = new ProxyOutputWatch();
        StringWriter err = new StringWriter();
        int[] exit = {-1};
        Thread t = Thread.ofPlatform().start(() -> exit[0] = Main.run(new String[] {"proxy", "--acl", acl.toString(),
            "--control-socket", sock.toString(), "--metrics-port", "0", "--mode", "enforce"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        try {
            assertThat(out.running.await(20, TimeUnit.SECONDS)).as(err.toString()).isTrue();
            Matcher m = Pattern.compile("agent agent.a listening on 127.0.0.1:(\\d+)").matcher(out.snapshot());
            assertThat(m.find()).as(out.snapshot()).isTrue();
            int port = Integer.parseInt(m.group(1));
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))).build();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(
                    URI.create("http://origin.test:" + origin.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("hello from origin");
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + origin.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.headers().firstValue("X-Egress-Denied")).contains("ip-literal");
            assertThat(hits.get()).isEqualTo(1);
            assertThat(sock).exists();
            assertThat(out.snapshot()).contains("control API on unix:").contains("metrics on http://127.0.0.1:");
        } finally {
            t.interrupt();
            t.join(10_000);
            origin.stop(0);
        }
        assertThat(exit[0]).isZero();
        assertThat(out.snapshot()).contains("egress proxy stopped");
        assertThat(sock).doesNotExist();
    }

    @Test
    void listenAndModeOptionsOverrideTheFile() throws Exception {
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        Path acl = dir.resolve("one.json");
        Files.writeString(acl, """
                {"mode":"enforce","agents":{"agent.a":{"listen":"127.0.0.1:0","allow_domains":["origin.test"]}}}""");
        ProxyOutputWatch out = new ProxyOutputWatch();
        StringWriter err = new StringWriter();
        int[] exit = {-1};
        Thread t = Thread.ofPlatform().start(() -> exit[0] = Main.run(new String[] {"proxy", "--acl", acl.toString(),
            "--listen", "127.0.0.1:" + free, "--mode", "report", "--io-threads", "2"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        try {
            assertThat(out.running.await(20, TimeUnit.SECONDS)).as(err.toString()).isTrue();
            assertThat(out.snapshot()).contains("agent agent.a listening on 127.0.0.1:" + free)
                    .contains("egress proxy running (mode report)");
        } finally {
            t.interrupt();
            t.join(10_000);
        }
        assertThat(exit[0]).isZero();
    }

    @Test
    void invalidAclIsExit1WithItsJsonPath() throws Exception {
        Path acl = dir.resolve("bad.json");
        Files.writeString(acl, "{\"agents\":{\"a\":{\"allow_domains\":[\"ok.test\",\"not a host\"]}}}");
        CliRun r = run("proxy", "--acl", acl.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("$.agents.a.allow_domains[1]").doesNotContain("Exception");

        Files.writeString(acl, "{\"agents\":{\"a\":{}},\n \"mode\": }");
        CliRun syntax = run("proxy", "--acl", acl.toString());
        assertThat(syntax.exit()).isEqualTo(1);
        assertThat(syntax.err()).contains("line 2");

        Files.write(acl, new byte[] {'{', (byte) 0xff, '}'});
        assertThat(run("proxy", "--acl", acl.toString()).err()).contains("not UTF-8");
    }

    @Test
    void usageErrorsAreExit2() throws Exception {
        assertThat(run("proxy", "--acl", dir.resolve("missing.json").toString()).exit()).isEqualTo(2);
        assertThat(run("proxy").exit()).isEqualTo(2);
        Path two = dir.resolve("two.json");
        Files.writeString(two, "{\"agents\":{\"a\":{},\"b\":{}}}");
        CliRun listen = run("proxy", "--acl", two.toString(), "--listen", "127.0.0.1:18001");
        assertThat(listen.exit()).isEqualTo(2);
        assertThat(listen.err()).contains("exactly one agent");
        Path one = dir.resolve("one.json");
        Files.writeString(one, "{\"agents\":{\"a\":{}}}");
        assertThat(run("proxy", "--acl", one.toString(), "--listen", "0.0.0.0:80").err()).contains("loopback");
        assertThat(run("proxy", "--acl", one.toString(), "--mode", "audit").exit()).isEqualTo(2);
        for (String threads : new String[] {"0", "257", "-1"}) {
            CliRun io = run("proxy", "--acl", one.toString(), "--io-threads", threads);
            assertThat(io.exit()).isEqualTo(2);
            assertThat(io.err()).contains("--io-threads must be 1-256, not " + threads);
        }
    }

    @Test
    void aControlSocketPathThatIsARegularFileIsExit2AndTheFileIsKept() throws Exception {
        Path acl = dir.resolve("one.json");
        Files.writeString(acl, "{\"agents\":{\"a\":{\"listen\":\"127.0.0.1:0\"}}}");
        Path precious = dir.resolve("notes.txt");
        Files.writeString(precious, "not a socket");
        CliRun r = run("proxy", "--acl", acl.toString(), "--control-socket", precious.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(precious.toString()).contains("regular file").doesNotContain("Exception");
        assertThat(r.out()).as("refused before any listener opened").doesNotContain("listening on");
        assertThat(Files.readString(precious)).isEqualTo("not a socket");
    }

    @Test
    void aControlSocketSomethingListensOnIsExit2InUseAndStillListens() throws Exception {
        Path acl = dir.resolve("one.json");
        Files.writeString(acl, "{\"agents\":{\"a\":{\"listen\":\"127.0.0.1:0\"}}}");
        Path sock = dir.resolve("live.sock");
        try (java.nio.channels.ServerSocketChannel live = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            live.bind(java.net.UnixDomainSocketAddress.of(sock));
            CliRun r = run("proxy", "--acl", acl.toString(), "--control-socket", sock.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains(sock.toString()).contains("in use");
            try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                    java.net.UnixDomainSocketAddress.of(sock))) {
                assertThat(c.isConnected()).isTrue();
            }
        }
    }

    @Test
    void aListenPortInUseIsExit2WithTheAddress() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path acl = dir.resolve("one.json");
            Files.writeString(acl, "{\"agents\":{\"a\":{\"listen\":\"127.0.0.1:" + taken.getLocalPort() + "\"}}}");
            CliRun r = run("proxy", "--acl", acl.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("127.0.0.1:" + taken.getLocalPort()).contains("address already in use");
        }
    }

    /** Fails under CI=true, skips locally, when a prerequisite (curl) is missing. */
    static void requireThat(boolean ok, String message) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) org.assertj.core.api.Assertions.fail(message + " [CI=true: prerequisites must be present]");
        org.junit.jupiter.api.Assumptions.abort(message + " — skipped (set CI=true to make this a failure)");
    }

    private static ProcessResult curl(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/curl", "-sS", "--max-time", "20"));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // Only the --proxy given: nothing from the environment may route the request elsewhere.
        pb.environment().keySet().removeIf(k -> k.toLowerCase(java.util.Locale.ROOT).endsWith("_proxy"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(p.exitValue(), out);
    }

    private record ProcessResult(int exit, String out) {}

    @Test
    void caOutWritesTheInterceptionCertificateThatCurlTrustsForAnInterceptedRequest() throws Exception {
        requireThat(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        AtomicInteger hits = new AtomicInteger();
        DemoTls originTls = DemoTls.create("origin.test");
        com.sun.net.httpserver.HttpsServer origin = com.sun.net.httpserver.HttpsServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        origin.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(originTls.serverContext()));
        origin.createContext("/", ex -> {
            hits.incrementAndGet();
            byte[] b = ("seen " + ex.getRequestMethod()).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        origin.start();
        Path originCa = originTls.writeCaPem(dir.resolve("origin-ca.pem"));
        int originPort = origin.getAddress().getPort();
        Path acl = dir.resolve("acl.json");
        Files.writeString(acl, """
                {"mode":"enforce",
                 "agents":{"agent.a":{"listen":"127.0.0.1:0","allow_domains":["origin.test"],"allow_methods":["GET"],
                   "connect_ports":[%d],"allow_ranges":["127.0.0.0/8"],"tls":"intercept","upstream_ca":"%s"}},
                 "resolve":{"origin.test":["127.0.0.1"]}}""".formatted(originPort, originCa));
        Path caOut = dir.resolve("out/proxy-ca.pem");
        Files.createDirectories(caOut.getParent());
        Files.writeString(caOut, "stale");
        ProxyOutputWatch out = new ProxyOutputWatch();
        StringWriter err = new StringWriter();
        int[] exit = {-1};
        Thread t = Thread.ofPlatform().start(() -> exit[0] = Main.run(new String[] {"proxy", "--acl", acl.toString(),
            "--ca-out", caOut.toString()}, new PrintWriter(out, true), new PrintWriter(err, true)));
        try {
            assertThat(out.running.await(20, TimeUnit.SECONDS)).as(err.toString()).isTrue();
            Matcher m = Pattern.compile("agent agent.a listening on 127.0.0.1:(\\d+)").matcher(out.snapshot());
            assertThat(m.find()).as(out.snapshot()).isTrue();
            String proxy = "http://127.0.0.1:" + m.group(1);
            String pem = Files.readString(caOut);
            assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").doesNotContain("PRIVATE", "stale");
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(caOut)))
                    .isEqualTo("rw-r--r--");
            assertThat(out.snapshot()).contains("interception CA certificate written to " + caOut);
            String url = "https://origin.test:" + originPort + "/hello";

            ProcessResult trusted = curl("--proxy", proxy, "--cacert", caOut.toString(), url);
            assertThat(trusted.exit()).as(trusted.out()).isZero();
            assertThat(trusted.out()).isEqualTo("seen GET");
            // The guest-side leaf is the proxy's: the origin's own CA does not verify it, so the request was intercepted.
            ProcessResult originCaOnly = curl("--proxy", proxy, "--cacert", originCa.toString(), url);
            assertThat(originCaOnly.exit()).as(originCaOnly.out()).isEqualTo(60);
            // Intercepted, the method rules apply inside TLS.
            ProcessResult post = curl("--proxy", proxy, "--cacert", caOut.toString(), "-o", "/dev/null",
                    "-w", "%{http_code}", "-d", "x=1", url);
            assertThat(post.out()).isEqualTo("403");
            assertThat(hits.get()).isEqualTo(1);
        } finally {
            t.interrupt();
            t.join(10_000);
            origin.stop(0);
        }
        assertThat(exit[0]).isZero();
    }

    @Test
    void caOutToAnUnwritablePlaceIsExit2WithTheReason() throws Exception {
        Path acl = dir.resolve("one.json");
        Files.writeString(acl, """
                {"mode":"enforce","agents":{"agent.a":{"listen":"127.0.0.1:0","allow_domains":["origin.test"]}}}""");
        CliRun r = run("proxy", "--acl", acl.toString(), "--ca-out", dir.resolve("missing/dir/ca.pem").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--ca-out").contains("cannot write the CA certificate");
    }
}
