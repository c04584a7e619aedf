package dev.rtfs.microvm.cli;

import static dev.rtfs.microvm.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.AclCodec;
import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.control.ControlApiServer;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy switch} against a real proxy on loopback with its control socket in a temp dir: the new agent goes in,
 * the old one leaves only after its last client connection closed, and stays when the drain times out. The client
 * connections here only connect to the proxy's own loopback listener; nothing is dialed beyond it.
 */
class ProxySwitchCommandTest {

    @TempDir Path dir;
    EgressProxy proxy;
    ControlApiServer control;
    Path socket;
    Path acl;

    @BeforeEach
    void proxyWithTheOldAgent() throws Exception {
        proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1));
        proxy.start();
        proxy.putAgent(AclCodec.parseAgent("{\"listen\":\"127.0.0.1:0\",\"allow_domains\":[\"origin.test\"]}", "blue"));
        socket = dir.resolve("ctl.sock");
        control = ControlApiServer.start(proxy, socket);
        acl = Files.writeString(dir.resolve("green.json"), """
                {"mode":"enforce","agents":{"green":{"listen":"127.0.0.1:0","allow_domains":["origin.test","api.test"]}}}""");
    }

    @AfterEach
    void stop() {
        control.close();
        proxy.close();
    }

    private Socket connectToOld() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.listenAddress("blue").orElseThrow().getPort());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (proxy.openConnections("blue").orElse(0) == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertThat(proxy.openConnections("blue")).hasValue(1);
        return s;
    }

    @Test
    void theNewAgentIsPutAndTheIdleOldOneRetired() {
        CliRun r = run("proxy", "switch", "--control-socket", socket.toString(), "--acl", acl.toString(), "--retire", "blue");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(proxy.agents()).containsExactly("green");
        assertThat(proxy.agentState("green").orElseThrow().agent().acl().allowDomains()).hasSize(2);
        assertThat(r.err()).containsPattern("proxy switch: \\[ *\\d+\\.\\d s\\] put agent green: listening on 127\\.0\\.0\\.1:\\d+")
                .contains("draining blue: 0 open connections").contains("retired blue");
        assertThat(r.out()).isEqualTo("switched: green in, blue retired\n");
    }

    @Test
    void theOldAgentIsRemovedOnlyAfterItsLastConnectionCloses() throws Exception {
        Socket open = connectToOld();
        CompletableFuture<CliRun> switching = CompletableFuture.supplyAsync(() -> run("proxy", "switch",
                "--control-socket", socket.toString(), "--acl", acl.toString(), "--retire", "blue", "--drain-timeout", "30"));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!proxy.agents().contains("green") && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        Thread.sleep(300); // several polls while the connection is open
        assertThat(proxy.agents()).as("green is in, blue still drains").containsExactly("blue", "green");
        assertThat(switching).isNotDone();
        open.close();
        CliRun r = switching.get(20, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("draining blue: 1 open connection\n").contains("draining blue: 0 open connections");
        assertThat(proxy.agents()).containsExactly("green");
    }

    @Test
    void aDrainTimeoutLeavesTheOldAgentInPlaceAndSaysHowManyConnectionsWereOpen() throws Exception {
        try (Socket open = connectToOld()) {
            CliRun r = run("proxy", "switch", "--control-socket", socket.toString(), "--acl", acl.toString(),
                    "--retire", "blue", "--drain-timeout", "1");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("error: blue still has 1 open connection after 1 s; it was left in place");
            assertThat(proxy.agents()).containsExactly("blue", "green");
            assertThat(open.isClosed()).isFalse();
        }
    }

    @Test
    void anUnknownOldAgentChangesNothing() {
        CliRun r = run("proxy", "switch", "--control-socket", socket.toString(), "--acl", acl.toString(), "--retire", "red");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot retire red: unknown agent \"red\"").contains("nothing was changed");
        assertThat(proxy.agents()).containsExactly("blue");
    }

    @Test
    void usageErrorsExitTwoAndTouchNothing() throws Exception {
        CliRun noSocket = run("proxy", "switch", "--control-socket", dir.resolve("none.sock").toString(),
                "--acl", acl.toString(), "--retire", "blue");
        assertThat(noSocket.exit()).isEqualTo(2);
        assertThat(noSocket.err()).contains("control API at " + dir.resolve("none.sock"));

        Path self = Files.writeString(dir.resolve("self.json"), """
                {"agents":{"blue":{"allow_domains":["origin.test"]}}}""");
        CliRun retireSelf = run("proxy", "switch", "--control-socket", socket.toString(), "--acl", self.toString(),
                "--retire", "blue");
        assertThat(retireSelf.exit()).isEqualTo(2);
        assertThat(retireSelf.err()).contains("--retire blue is an agent of");

        assertThat(run("proxy", "switch", "--control-socket", socket.toString(), "--acl", acl.toString()).exit())
                .isEqualTo(2);
        assertThat(run("proxy", "switch", "--control-socket", socket.toString(), "--acl",
                dir.resolve("missing.json").toString(), "--retire", "blue").exit()).isEqualTo(2);
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"agents\":{\"green\":{\"allow_domains\":[\"bad domain\"]}}}");
        CliRun invalid = run("proxy", "switch", "--control-socket", socket.toString(), "--acl", bad.toString(), "--retire", "blue");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("$.agents");
        assertThat(proxy.agents()).containsExactly("blue");
    }

    @Test
    void theStandaloneProxyStillNeedsAnAclFile() {
        CliRun r = run("proxy");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--acl=FILE'");
    }
}
