package dev.rtfs.microvm.egressproxy.acldir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.identity.JwksFile;
import dev.rtfs.microvm.egressproxy.identity.ServiceAccountTokens;
import dev.rtfs.microvm.egressproxy.observe.MetricsServer;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import dev.rtfs.microvm.egressproxy.testing.RecordingConnector;
import dev.rtfs.microvm.egressproxy.testing.TokenMint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --acl-dir}: the directory as kubelet projects a ConfigMap, polled by hand (no timers in the test). */
class AclDirectoryWatcherTest {

    @TempDir Path tmp;
    Path dir;
    EgressProxy proxy;
    AclDirectoryWatcher watcher;
    int generation;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createDirectory(tmp.resolve("acl"));
        proxy = new EgressProxy(ProxyConfig.defaults().withConnector(new RecordingConnector()).withIoThreads(1));
        proxy.start();
        Path jwks = TokenMint.writeJwks(tmp.resolve("jwks.json"), new TokenMint());
        proxy.listenShared(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), new ServiceAccountTokens(
                JwksFile.open(jwks, Clock.systemUTC(), Duration.ZERO), TokenMint.AUDIENCE, Optional.empty(),
                Clock.systemUTC()));
        watcher = new AclDirectoryWatcher(dir, proxy);
    }

    @AfterEach
    void stop() {
        watcher.close();
        proxy.close();
    }

    static String agentDoc(String id, String domain) {
        return "{\"agent_id\":\"" + id + "\",\"service_account\":\"agents/" + id + "\",\"allow_domains\":[\"" + domain
                + "\"]}";
    }

    /**
     * Writes {@code files} the way kubelet updates a projected ConfigMap: a new timestamped directory, the
     * {@code ..data} symlink swapped to it, and each visible name a symlink through {@code ..data}.
     */
    void kubeletWrites(String... namesAndContents) throws Exception {
        Path ts = Files.createDirectory(dir.resolve("..2026_12_07_" + (++generation)));
        for (int i = 0; i < namesAndContents.length; i += 2) {
            Files.writeString(ts.resolve(namesAndContents[i]), namesAndContents[i + 1]);
        }
        Path tmpLink = dir.resolve("..data_tmp");
        Files.deleteIfExists(tmpLink);
        Files.createSymbolicLink(tmpLink, ts.getFileName());
        Files.move(tmpLink, dir.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (var names = Files.list(dir)) {
            for (Path p : names.toList()) {
                if (!p.getFileName().toString().startsWith("..") && Files.isSymbolicLink(p)) {
                    Files.delete(p);
                }
            }
        }
        for (int i = 0; i < namesAndContents.length; i += 2) {
            Files.createSymbolicLink(dir.resolve(namesAndContents[i]), Path.of("..data").resolve(namesAndContents[i]));
        }
    }

    @Test
    void agentsAddedChangedAndRemovedInTheDirectoryAreAppliedOnTheNextPoll() throws Exception {
        kubeletWrites("agent-a.json", agentDoc("agent-a", "a.example"), "agent-b.json", agentDoc("agent-b", "b.example"));
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.APPLIED);
        assertThat(proxy.agents()).containsExactly("agent-a", "agent-b");
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.UNCHANGED);

        kubeletWrites("agent-a.json", agentDoc("agent-a", "changed.example"), "agent-c.json",
                agentDoc("agent-c", "c.example"));
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.APPLIED);
        assertThat(proxy.agents()).containsExactly("agent-a", "agent-c");
        assertThat(proxy.agentState("agent-a").orElseThrow().agent().acl().allowDomains())
                .containsExactly("changed.example");
        assertThat(proxy.agentState("agent-c").orElseThrow().agent().acl().serviceAccount()).contains("agents/agent-c");
    }

    @Test
    void anInvalidFileKeepsTheAclsInUseAndIsCounted() throws Exception {
        kubeletWrites("agent-a.json", agentDoc("agent-a", "a.example"));
        watcher.poll();
        kubeletWrites("agent-a.json", "{\"agent_id\":\"agent-a\",\"allow_domains\":[\"*.com\"]}");
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.REFUSED);
        assertThat(proxy.agentState("agent-a").orElseThrow().agent().acl().allowDomains()).containsExactly("a.example");
        assertThat(proxy.meterRegistry().scrape()).containsPattern("egress_acl_reload_failures_total [1-9]");
        kubeletWrites("agent-a.json", agentDoc("agent-a", "fixed.example"));
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.APPLIED);
    }

    @Test
    void aChangedResolveOrModeIsRefusedWholeNotSilentlyIgnored() throws Exception {
        kubeletWrites("agent-a.json", agentDoc("agent-a", "a.example"));
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.APPLIED);
        kubeletWrites("agent-a.json", agentDoc("agent-a", "b.example"),
                "zz-resolve.json", "{\"mode\":\"enforce\",\"agents\":{},\"resolve\":{\"b.example\":[\"127.0.0.1\"]}}");
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.REFUSED);
        assertThat(proxy.agentState("agent-a").orElseThrow().agent().acl().allowDomains()).containsExactly("a.example");
        kubeletWrites("agent-a.json", agentDoc("agent-a", "b.example"));
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.APPLIED);
        assertThat(proxy.agentState("agent-a").orElseThrow().agent().acl().allowDomains()).containsExactly("b.example");
    }

    @Test
    void theSameAgentInTwoFilesIsRefusedNamingBoth() {
        assertThat(write("one.json", agentDoc("agent-a", "a.example"))).isTrue();
        assertThat(write("two.json", agentDoc("agent-a", "b.example"))).isTrue();
        assertThat(AclDirectory.read(dir)).isInstanceOfSatisfying(AclDirectory.Read.Refused.class,
                r -> assertThat(r.reason()).contains("one.json").contains("two.json"));
    }

    @Test
    void dotfilesAndOtherExtensionsAreIgnored() throws Exception {
        write(".hidden.json", "not json");
        write("notes.txt", "not json");
        write("agent-a.json", agentDoc("agent-a", "a.example"));
        assertThat(watcher.poll()).isEqualTo(AclDirectoryWatcher.Outcome.APPLIED);
        assertThat(proxy.agents()).containsExactly("agent-a");
    }

    @Test
    void healthzIsReadyOnlyOnceTheAclsAreLoaded() throws Exception {
        try (MetricsServer m = MetricsServer.start(proxy.meterRegistry(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> proxy.listening() && watcher.loaded())) {
            HttpClient c = HttpClient.newHttpClient();
            URI healthz = URI.create("http://127.0.0.1:" + m.port() + "/healthz");
            assertThat(c.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(503);
            write("agent-a.json", agentDoc("agent-a", "a.example"));
            watcher.poll();
            HttpResponse<String> ok = c.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok\n");
            assertThat(c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("egress_active_tunnels");
        }
    }

    private boolean write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
