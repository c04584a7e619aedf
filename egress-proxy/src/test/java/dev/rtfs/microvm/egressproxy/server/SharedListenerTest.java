package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.identity.JwksFile;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokens;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TokenMint;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared listener ({@code --identity service-account-token}): real sockets and curl through one listener for two
 * agents, each request proving its agent with a ServiceAccount token minted here; refusals are 407 without any dial.
 */
class SharedListenerTest {

    static ProxyFixture fx;
    static LoopbackOrigin origin;
    static TokenMint mint;
    static Path jwks;
    static int port;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        mint = new TokenMint();
        jwks = TokenMint.writeJwks(tmp.resolve("jwks.json"), mint);
        origin = LoopbackOrigin.http();
        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
        fx.resolver.map("origin.test", "127.0.0.1").map("other.test", "127.0.0.1");
        ServiceAccountTokens tokens = new ServiceAccountTokens(JwksFile.open(jwks, Clock.systemUTC(), Duration.ZERO),
                TokenMint.AUDIENCE, Optional.empty(), Clock.systemUTC());
        port = fx.proxy.listenShared(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), tokens).getPort();
        fx.proxy.putAgent(AclCodec.parseAgent("""
                {"agent_id":"agent.a","service_account":"agents/agent-a","allow_domains":["origin.test"],
                 "allow_ranges":["127.0.0.0/8"],"dlp":"off"}"""));
        fx.proxy.putAgent(AclCodec.parseAgent("""
                {"agent_id":"agent.b","service_account":"agents/agent-b","allow_domains":["other.test"],
                 "allow_ranges":["127.0.0.0/8"],"dlp":"off"}"""));
    }

    @AfterAll
    static void stop() {
        fx.close();
        origin.close();
    }

    @BeforeEach
    void settle() throws InterruptedException {
        fx.settleRecords();
    }

    private String get(String host, String auth) {
        return "GET http://" + host + ":" + origin.port() + "/x HTTP/1.1\r\nHost: " + host + "\r\n"
                + (auth == null ? "" : "Proxy-Authorization: " + auth + "\r\n") + "Connection: close\r\n\r\n";
    }

    private void assertRefused407(String auth, String cause) throws Exception {
        int hits = origin.hits();
        int dialed = fx.connector.dialed().size();
        RawClient.Answer answer = RawClient.exchange(port, get("origin.test", auth));
        assertThat(answer.status()).isEqualTo(407);
        assertThat(answer.text()).containsIgnoringCase("Proxy-Authenticate: Bearer realm=\"rtfs-egress-proxy\"")
                .contains("X-Egress-Denied: proxy-auth").contains(cause);
        DecisionRecord r = fx.awaitRecord(x -> x.reason().equals("proxy-auth"));
        assertThat(r.status()).isEqualTo(407);
        assertThat(r.agentId()).isEqualTo("-");
        assertThat(r.detail()).startsWith(cause);
        if (auth != null) {
            String token = auth.substring(auth.indexOf(' ') + 1);
            assertThat(r.toString()).doesNotContain(token);
            assertThat(answer.text()).doesNotContain(token);
        }
        assertThat(origin.hits()).isEqualTo(hits);
        assertThat(fx.connector.dialed()).hasSize(dialed);
    }

    @Test
    void aValidTokenAppliesItsAgentsAcl() throws Exception {
        String token = mint.token("agents", "agent-a");
        Curl.Result ok = Curl.run(tmp, "--proxy", "http://127.0.0.1:" + port, "--proxy-header",
                "Proxy-Authorization: Bearer " + token, "http://origin.test:" + origin.port() + "/ok");
        assertThat(ok.status()).isEqualTo(200);
        DecisionRecord allowed = fx.awaitRecord(r -> r.outcome().equals("ALLOW"));
        assertThat(allowed.agentId()).isEqualTo("agent.a");

        Curl.Result denied = Curl.run(tmp, "--proxy", "http://127.0.0.1:" + port, "--proxy-header",
                "Proxy-Authorization: Bearer " + token, "http://other.test:" + origin.port() + "/no");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.header("X-Egress-Denied")).isEqualTo("domain-not-allowed");
    }

    @Test
    void theAuthorizationIsNeverForwardedUpstream() throws Exception {
        int before = origin.headers().size();
        RawClient.Answer answer = RawClient.exchange(port, get("origin.test", "Bearer " + mint.token("agents", "agent-a")));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(origin.headers().subList(before, origin.headers().size()))
                .allSatisfy(h -> assertThat(h.containsKey("Proxy-authorization")).isFalse());
    }

    @Test
    void theBasicFormWithAnyUserWorks() throws Exception {
        String token = mint.es256Token("agents", "agent-b");
        Curl.Result ok = Curl.run(tmp, "--proxy", "http://127.0.0.1:" + port, "--proxy-user", "x:" + token,
                "http://other.test:" + origin.port() + "/ok");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(fx.awaitRecord(r -> r.outcome().equals("ALLOW")).agentId()).isEqualTo("agent.b");
        String basic = Base64.getEncoder().encodeToString(("anyone:" + token).getBytes(StandardCharsets.UTF_8));
        assertThat(RawClient.exchange(port, get("other.test", "Basic " + basic)).status()).isEqualTo(200);
    }

    @Test
    void aRequestWithoutProxyAuthorizationGets407() throws Exception {
        assertRefused407(null, "missing");
    }

    @Test
    void aTokenWithABadSignatureGets407() throws Exception {
        String token = mint.token("agents", "agent-a");
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new TokenMint().token("agents", "agent-a").split("\\.")[2];
        assertRefused407("Bearer " + forged, "bad-signature");
    }

    @Test
    void aTokenSignedByAKeyOutsideTheJwksGets407() throws Exception {
        assertRefused407("Bearer " + new TokenMint("rsa-x", "ec-x").token("agents", "agent-a"), "unknown-key");
    }

    @Test
    void aTokenForAnotherAudienceGets407() throws Exception {
        String t = mint.rs256(TokenMint.claims("agents", "agent-a", "https://kubernetes.default.svc", Instant.now(),
                Duration.ofHours(1)));
        assertRefused407("Bearer " + t, "wrong-audience");
    }

    @Test
    void anExpiredTokenGets407() throws Exception {
        String t = mint.rs256(TokenMint.claims("agents", "agent-a", TokenMint.AUDIENCE,
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1)));
        assertRefused407("Bearer " + t, "expired");
    }

    @Test
    void aTokenOfAnUnknownServiceAccountGets407() throws Exception {
        assertRefused407("Bearer " + mint.token("agents", "nobody"), "unknown-service-account");
    }

    @Test
    void anUnsignedTokenGets407() throws Exception {
        assertRefused407("Bearer " + TokenMint.unsigned("agents", "agent-a"), "");
        DecisionRecord last = fx.proxy.decisions(1).get(0);
        assertThat(last.detail()).matches("(unsupported-algorithm|malformed).*");
    }

    @Test
    void aTokenOfAgentAGetsTheRulesOfAgentANotThoseOfB() throws Exception {
        int hits = origin.hits();
        RawClient.Answer answer = RawClient.exchange(port, get("other.test", "Bearer " + mint.token("agents", "agent-a")));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.text()).contains("domain-not-allowed");
        assertThat(origin.hits()).isEqualTo(hits);
    }

    @Test
    void aSecondKeepAliveRequestWithoutTheHeaderGets407() throws Exception {
        String token = mint.token("agents", "agent-a");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("GET http://origin.test:" + origin.port() + "/1 HTTP/1.1\r\nHost: origin.test\r\n"
                    + "Proxy-Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = RawClient.readHead(in);
            assertThat(first).startsWith("HTTP/1.1 200");
            int len = Integer.parseInt(first.replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
            in.readNBytes(len);
            out.write(("GET http://origin.test:" + origin.port() + "/2 HTTP/1.1\r\nHost: origin.test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawClient.readHead(in)).startsWith("HTTP/1.1 407");
        }
    }

    @Test
    void aConnectIsCheckedToo() throws Exception {
        RawClient.Answer answer = RawClient.exchange(port, "CONNECT origin.test:443 HTTP/1.1\r\nHost: origin.test:443\r\n\r\n");
        assertThat(answer.status()).isEqualTo(407);
    }

    @Test
    void oneAgentsBadTokenLeavesOtherAgentsAlone() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(RawClient.exchange(port, get("origin.test", "Bearer garbage.garbage.garbage")).status())
                    .isEqualTo(407);
        }
        assertThat(RawClient.exchange(port, get("other.test", "Bearer " + mint.token("agents", "agent-b"))).status())
                .isEqualTo(200);
    }

    @Test
    void authFailuresAreCountedByCause() throws Exception {
        RawClient.exchange(port, get("origin.test", null));
        assertThat(fx.proxy.meterRegistry().scrape()).containsPattern("egress_proxy_auth_failures_total\\{cause=\"missing\"} [1-9]");
    }

    @Test
    void aRotatedJwksIsUsedAfterTheFileChanges() throws Exception {
        TokenMint next = new TokenMint("rsa-2", "ec-2");
        assertThat(RawClient.exchange(port, get("origin.test", "Bearer " + next.token("agents", "agent-a"))).status())
                .isEqualTo(407);
        try {
            TokenMint.writeJwks(jwks, next);
            assertThat(RawClient.exchange(port, get("origin.test", "Bearer " + next.token("agents", "agent-a"))).status())
                    .isEqualTo(200);
            // the old key left the JWKS: its tokens stop working, cached or not
            assertThat(RawClient.exchange(port, get("origin.test", "Bearer " + mint.token("agents", "agent-a"))).status())
                    .isEqualTo(407);
        } finally {
            TokenMint.writeJwks(jwks, mint);
        }
    }
}
