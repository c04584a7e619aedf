package dev.rtfs.microvm.controlplane.sender;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainRecord;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.chain.ChainVerifier;
import dev.rtfs.microvm.controlplane.chain.VerifyReport;
import dev.rtfs.microvm.controlplane.server.AdmissionCache;
import dev.rtfs.microvm.controlplane.server.ControlServer;
import dev.rtfs.microvm.controlplane.server.ControlServerOptions;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.controlplane.transport.UnixSockets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The receiver goes away mid-stream (events in flight, some acknowledged, some not) and stays down for seconds while
 * the sender produces 10,000 events; after it is back every event is in the chain exactly once and in order.
 */
class OutageTest {
    @TempDir Path dir;

    private ControlServer server(Path sock, ChainStore chain) throws Exception {
        return new ControlServer(ListeningTransport.virtioSerial(sock), chain, new AdmissionCache(10, 1 << 20),
                ControlServerOptions.defaults()).start();
    }

    @Test
    void everyEventArrivesExactlyOnceInOrderAfterAnOutage() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        Path chainDir = dir.resolve("chain");
        ReliableSender.Options opts = new ReliableSender.Options(1000, 50_000, dir.resolve("spill"),
                Duration.ofMillis(20), Duration.ofMillis(250));
        ChainStore chain = ChainStore.open(chainDir, ChainOptions.defaults());
        ControlServer server = server(sock, chain);
        try (ReliableSender sender = new ReliableSender("agent.a", "boot-1", () -> UnixSockets.connect(sock), opts,
                m -> { }).start()) {
            long last = 0;
            for (int i = 1; i <= 500; i++) last = sender.send("e", "s", JsonNodeFactory.instance.objectNode().put("i", i));
            assertThat(sender.awaitAcked(200, Duration.ofSeconds(30))).isTrue();
            for (int i = 501; i <= 1000; i++) last = sender.send("e", "s", JsonNodeFactory.instance.objectNode().put("i", i));

            // Receiver and its chain go down while events are in flight (host crash-like: the chain is reopened).
            server.close();
            chain.close();
            long down = System.nanoTime();
            long failedBefore = sender.failedConnects();
            for (int i = 1001; i <= 11_000; i++) last = sender.send("e", "s", JsonNodeFactory.instance.objectNode().put("i", i));
            assertThat(sender.spilled()).as("the outage spilled to the file").isPositive();
            while (System.nanoTime() - down < Duration.ofSeconds(3).toNanos() || sender.failedConnects() - failedBefore < 3) {
                Thread.sleep(100); // the receiver stays down for a few seconds, by definition of this test
            }
            assertThat(sender.lastAcked()).isLessThan(11_000);

            chain = ChainStore.open(chainDir, ChainOptions.defaults());
            server = server(sock, chain);
            assertThat(sender.awaitAcked(last, Duration.ofSeconds(60))).as("all acknowledged after reconnect").isTrue();
            assertThat(sender.buffered()).isZero();
            assertThat(sender.connects()).isGreaterThanOrEqualTo(2);
        } finally {
            server.close();
            chain.close();
        }
        List<ChainRecord> records = new ArrayList<>();
        assertThat(ChainVerifier.verify(chainDir, null, records::add)).isInstanceOf(VerifyReport.Valid.class);
        assertThat(records).hasSize(11_000);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).origin().seq()).isEqualTo(i + 1);
            assertThat(records.get(i).data().get("i").intValue()).isEqualTo(i + 1);
        }
    }
}
