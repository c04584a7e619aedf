package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.identity.JwksFile;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokens;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.LoopbackOrigin;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import dev.rtfs.microvm.egressproxy.testing.TokenMint;
import dev.rtfs.microvm.egressproxy.tls.InterceptionCa;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster's shared proxy intercepting TLS with the CA it was given ({@code --ca-cert/--ca-key}): curl trusts that
 * CA only, proves its agent on the CONNECT, and the decrypted requests get that agent's rules.
 */
class SharedInterceptionTest {

    static ProxyFixture fx;
    static LoopbackOrigin origin;
    static TokenMint mint;
    static Path clusterCaPem;
    static Path originCaPem;
    static int port;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Curl.requireCurl();
        TestCa originCa = new TestCa();
        originCaPem = originCa.writeCaPem(Files.createDirectory(tmp.resolve("origin")));
        origin = LoopbackOrigin.https(originCa.serverContext("tls.test", "other.test"));
        TestCa cluster = new TestCa();
        Path clusterDir = Files.createDirectory(tmp.resolve("cluster"));
        clusterCaPem = cluster.writeCaPem(clusterDir);
        InterceptionCa given = InterceptionCa.fromPem(clusterCaPem, cluster.writeCaKeyPem(clusterDir));
        mint = new TokenMint();
        Path jwks = TokenMint.writeJwks(tmp.resolve("jwks.json"), mint);
        fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2), given);
        fx.resolver.map("tls.test", "127.0.0.1").map("other.test", "127.0.0.1");
        port = fx.proxy.listenShared(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new ServiceAccountTokens(JwksFile.open(jwks, Clock.systemUTC(), Duration.ofSeconds(2)),
                        TokenMint.AUDIENCE, Optional.empty(), Clock.systemUTC())).getPort();
        fx.proxy.putAgent(AclCodec.parseAgent("{\"agent_id\":\"agent-a\",\"service_account\":\"agents/agent-a\","
                + "\"allow_domains\":[\"tls.test\"],\"connect_ports\":[" + origin.port() + "],"
                + "\"allow_ranges\":[\"127.0.0.0/8\"],\"tls\":\"intercept\",\"upstream_ca\":\"" + originCaPem + "\"}"));
    }

    @AfterAll
    static void stop() {
        fx.close();
        origin.close();
    }

    @Test
    void interceptedTunnelsPresentLeavesOfTheGivenCa() throws Exception {
        Curl.Result r = Curl.run(tmp, "--cacert", clusterCaPem.toString(), "-x", "http://127.0.0.1:" + port,
                "--proxy-header", "Proxy-Authorization: Bearer " + mint.token("agents", "agent-a"),
                "https://tls.test:" + origin.port() + "/hello");
        assertThat(r.exit()).as(r.headers()).isZero();
        assertThat(r.status()).isEqualTo(200);
        assertThat(fx.awaitRecord(x -> x.outcome().equals("ALLOW") && x.method().equals("GET")).agentId())
                .isEqualTo("agent-a");
        assertThat(fx.proxy.interceptionLeavesMinted()).isPositive();
    }

    @Test
    void aConnectWithoutATokenGets407AndNoTunnel() throws Exception {
        Curl.Result r = Curl.run(tmp, "--cacert", clusterCaPem.toString(), "-x", "http://127.0.0.1:" + port,
                "https://tls.test:" + origin.port() + "/hello");
        assertThat(r.connectStatus()).isEqualTo(407);
        assertThat(r.exit()).isNotZero();
    }
}
