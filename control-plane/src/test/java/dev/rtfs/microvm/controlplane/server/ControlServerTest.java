package dev.rtfs.microvm.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.controlplane.protocol.Ack;
import dev.rtfs.microvm.controlplane.protocol.CacheGet;
import dev.rtfs.microvm.controlplane.protocol.CacheHit;
import dev.rtfs.microvm.controlplane.protocol.CacheMiss;
import dev.rtfs.microvm.controlplane.protocol.CachePut;
import dev.rtfs.microvm.controlplane.protocol.CacheStored;
import dev.rtfs.microvm.controlplane.protocol.Call;
import dev.rtfs.microvm.controlplane.protocol.ErrorReply;
import dev.rtfs.microvm.controlplane.protocol.Event;
import dev.rtfs.microvm.controlplane.protocol.Health;
import dev.rtfs.microvm.controlplane.protocol.HealthStatus;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.Metrics;
import dev.rtfs.microvm.controlplane.protocol.MetricsReport;
import dev.rtfs.microvm.controlplane.protocol.ProtocolError;
import dev.rtfs.microvm.controlplane.protocol.Result;
import dev.rtfs.microvm.controlplane.protocol.Shutdown;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.controlplane.transport.UnixSockets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

class ControlServerTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir Path dir;
    private Path socket;
    private ChainStore chain;
    private ControlServer server;
    private final AdmissionCache cache = new AdmissionCache(100, 1 << 20);

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("ctl.sock");
        chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
        server = new ControlServer(ListeningTransport.virtioSerial(socket), chain, cache,
                ControlServerOptions.defaults().forAgent("agent.a")).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        chain.close();
    }

    private TestGuest guest() throws Exception {
        return new TestGuest(UnixSockets.connect(socket));
    }

    private static Event event(long seq) {
        return new Event(seq, "tool.call", "s1", F.objectNode().put("n", seq));
    }

    private List<ChainRecord> records() throws Exception {
        List<ChainRecord> out = new ArrayList<>();
        assertThat(ChainVerifier.verify(dir.resolve("chain"), null, out::add)).isInstanceOf(VerifyReport.Valid.class);
        return out;
    }

    /** Acks are cumulative and may be coalesced: read until one covers seq. */
    private static void awaitAck(TestGuest g, long seq) throws Exception {
        long acked = 0;
        while (acked < seq) acked = g.next(Ack.class).seq();
        assertThat(acked).isEqualTo(seq);
    }

    @Test
    void helloWelcomeEventsAreAckedOnlyAfterTheyAreInTheChain() throws Exception {
        server.agent("agent.a").planId("plan-7");
        try (TestGuest g = guest()) {
            g.send(new Hello("agent.a", "boot-1", 0));
            assertThat(g.next(Welcome.class).lastDurableSeq()).isZero();
            for (int i = 1; i <= 3; i++) g.send(event(i));
            awaitAck(g, 3);
            List<ChainRecord> recs = records(); // acked => already durable and verifiable
            assertThat(recs).hasSize(3);
            assertThat(recs.get(2).agentId()).isEqualTo("agent.a");
            assertThat(recs.get(2).planId()).isEqualTo("plan-7");
            assertThat(recs.get(2).step()).isEqualTo("s1");
            assertThat(recs.get(2).origin().stream()).isEqualTo("agent.a/boot-1");
        }
        // Reconnect of the same boot: the welcome says what is durable; resent duplicates are acked, not re-appended.
        try (TestGuest g = guest()) {
            g.send(new Hello("agent.a", "boot-1", 1));
            assertThat(g.next(Welcome.class).lastDurableSeq()).isEqualTo(3);
            g.send(event(2)).send(event(3)).send(event(4));
            awaitAck(g, 4);
        }
        // A new boot starts its own sequence.
        try (TestGuest g = guest()) {
            g.send(new Hello("agent.a", "boot-2", 0));
            assertThat(g.next(Welcome.class).lastDurableSeq()).isZero();
            g.send(event(1));
            awaitAck(g, 1);
        }
        assertThat(records()).extracting(r -> r.origin().stream() + "#" + r.origin().seq())
                .containsExactly("agent.a/boot-1#1", "agent.a/boot-1#2", "agent.a/boot-1#3", "agent.a/boot-1#4",
                        "agent.a/boot-2#1");
    }

    @Test
    void protocolOrderIsEnforced() throws Exception {
        try (TestGuest g = guest()) {
            g.send(event(1));
            assertThat(g.next(ErrorReply.class).code()).isEqualTo(ProtocolError.OUT_OF_ORDER.code());
            g.send(new Hello("agent.b", "boot", 0));
            assertThat(g.next(ErrorReply.class).message()).contains("belongs to agent 'agent.a'");
            g.send(new Hello("agent.a", "boot", 0));
            g.next(Welcome.class);
            g.send(new Hello("agent.a", "boot", 0));
            assertThat(g.next(ErrorReply.class).message()).contains("second hello");
            g.send(event(2));
            assertThat(g.next(ErrorReply.class).message()).contains("expected seq 1");
            g.send(Result.success("c99", F.nullNode()));
            assertThat(g.next(ErrorReply.class).message()).contains("unknown or finished call_id");
        }
        assertThat(records()).isEmpty();
        assertThat(server.counters().rejectedFrames()).isEqualTo(5);
    }

    @Test
    void healthMetricsAndAdmissionCache() throws Exception {
        String plan = "(plan :steps [])";
        String hash = AdmissionCache.hash(plan);
        try (TestGuest g = guest()) {
            g.send(new Hello("agent.a", "boot", 0));
            g.next(Welcome.class);
            g.send(new Health());
            assertThat(g.next(HealthStatus.class).status()).isEqualTo("ok");
            g.send(new Metrics(Map.of("rss_kb", 1234.0)));
            assertThat(g.next(MetricsReport.class).framesAccepted()).isEqualTo(3);
            assertThat(server.agent("agent.a").guestMetrics()).containsEntry("rss_kb", 1234.0);
            g.send(new CacheGet(hash));
            assertThat(g.next(CacheMiss.class).hash()).isEqualTo(hash);
            g.send(new CachePut(hash, plan + " "));
            assertThat(g.next(ErrorReply.class).message()).contains("hash_mismatch");
            g.send(new CachePut(hash, plan));
            assertThat(g.next(CacheStored.class).hash()).isEqualTo(hash);
            g.send(new CacheGet(hash));
            assertThat(g.next(CacheHit.class).artifact()).isEqualTo(plan);
        }
        assertThat(cache.isAdmitted(hash)).as("a guest cannot admit a plan").isFalse();
        assertThat(cache.isAdmitted(cache.admit(plan))).isTrue();
    }

    @Test
    void supervisorCallsAndShutdown() throws Exception {
        AgentChannel agent = server.agent("agent.a");
        CompletableFuture<Hello> hello = agent.awaitHello();
        try (TestGuest g = guest()) {
            g.send(new Hello("agent.a", "boot", 0));
            g.next(Welcome.class);
            assertThat(hello.get(10, TimeUnit.SECONDS).bootId()).isEqualTo("boot");
            CompletableFuture<Result> result = agent.call("s1", "http.get", F.objectNode().put("url", "https://x"));
            Call call = g.next(Call.class);
            assertThat(call.capability()).isEqualTo("http.get");
            g.send(Result.success(call.callId(), F.stringNode("200")));
            assertThat(result.get(10, TimeUnit.SECONDS).value().stringValue()).isEqualTo("200");
            agent.shutdown("plan complete");
            assertThat(g.next(Shutdown.class).reason()).isEqualTo("plan complete");
        }
    }

    @Test
    void aBurstOfBadFramesClosesTheConnection() throws Exception {
        try (TestGuest g = guest()) {
            for (int i = 0; i < 16; i++) g.raw("{\"type\":\"exec\",\"v\":1}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(g.closedByHost()).isTrue();
        }
        assertThat(server.counters().connectionsClosedForBadFrames()).isEqualTo(1);
        assertThat(server.counters().rejectedFrames(ProtocolError.UNKNOWN_TYPE)).isEqualTo(16);
        try (TestGuest g = guest()) { // and the server still serves
            g.send(new Hello("agent.a", "boot", 0));
            g.next(Welcome.class);
        }
    }
}
