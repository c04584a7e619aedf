package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code proxy --acl-dir --identity service-account-token}: the node-local proxy of the Kubernetes target. */
class SharedProxyCommandTest {

    @TempDir Path dir;

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private static String token(RSAKey key, String sub) throws Exception {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject(sub).audience(List.of("rtfs-egress-proxy"))
                        .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String exchange(int port, String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void theSharedListenerServesEachAgentByItsServiceAccountToken() throws Exception {
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        origin.createContext("/", ex -> {
            byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        origin.start();
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        Path jwks = Files.writeString(dir.resolve("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
        Path acl = Files.createDirectory(dir.resolve("acl"));
        Files.writeString(acl.resolve("agent-a.json"), """
                {"agents":{"agent-a":{"service_account":"agents/agent-a","allow_domains":["origin.test"],
                 "allow_ranges":["127.0.0.0/8"]}},"resolve":{"origin.test":["127.0.0.1"]}}""");
        ProxyOutputWatch out = new ProxyOutputWatch();
        StringWriter err = new StringWriter();
        int[] exit = {-1};
        Thread t = Thread.ofPlatform().start(() -> exit[0] = Main.run(new String[] {"proxy", "--acl-dir",
            acl.toString(), "--listen", "127.0.0.1:0", "--identity", "service-account-token", "--token-jwks",
            jwks.toString(), "--token-audience", "rtfs-egress-proxy", "--metrics-listen", "127.0.0.1:0"},
                new PrintWriter(out, true), new PrintWriter(err, true)));
        try {
            assertThat(out.running.await(20, TimeUnit.SECONDS)).as(err.toString()).isTrue();
            Matcher m = Pattern.compile("shared listener on 127.0.0.1:(\\d+)").matcher(out.snapshot());
            assertThat(m.find()).as(out.snapshot()).isTrue();
            int port = Integer.parseInt(m.group(1));
            String get = "GET http://origin.test:" + origin.getAddress().getPort() + "/ HTTP/1.1\r\nHost: origin.test\r\n"
                    + "Connection: close\r\n";
            assertThat(exchange(port, get + "Proxy-Authorization: Bearer "
                    + token(key, "system:serviceaccount:agents:agent-a") + "\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(exchange(port, get + "\r\n")).startsWith("HTTP/1.1 407");
            Matcher mm = Pattern.compile("\\(port (\\d+)\\)").matcher(out.snapshot());
            assertThat(mm.find()).as(out.snapshot()).isTrue();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + mm.group(1) + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        } finally {
            t.interrupt();
            t.join(10_000);
            origin.stop(0);
        }
        assertThat(exit[0]).isZero();
    }

    @Test
    void anInvalidCaExits2WithTheFileNamed() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl.json"), "{\"agents\":{\"a\":{}}}");
        Path garbage = Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        CliRun r = run("proxy", "--acl", acl.toString(), "--ca-cert", garbage.toString(), "--ca-key", garbage.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--ca-cert/--ca-key").contains("tls.key").doesNotContain("Exception:").doesNotContain("\tat ");
    }

    @Test
    void halfACaOrATokenModeWithoutItsKeysExits2() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl.json"), "{\"agents\":{\"a\":{}}}");
        assertThat(run("proxy", "--acl", acl.toString(), "--ca-cert", acl.toString()).exit()).isEqualTo(2);
        CliRun r = run("proxy", "--acl", acl.toString(), "--identity", "service-account-token", "--listen", "127.0.0.1:0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--token-jwks");
        assertThat(run("proxy", "--acl", acl.toString(), "--token-audience", "x").exit()).isEqualTo(2);
    }

    @Test
    void aServiceAccountAgentOnItsOwnListenerIsRefused() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl.json"), "{\"agents\":{\"a\":{\"service_account\":\"ns/a\"}}}");
        CliRun r = run("proxy", "--acl", acl.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("service_account");
    }

    @Test
    void anInvalidAclDirectoryExits1() throws Exception {
        Path acl = Files.createDirectory(dir.resolve("acl"));
        Files.writeString(acl.resolve("a.json"), "{\"agents\":{\"a\":{\"allow_domains\":[\"*.com\"]}}}");
        CliRun r = run("proxy", "--acl-dir", acl.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("a.json").contains("allow_domains");
    }
}
