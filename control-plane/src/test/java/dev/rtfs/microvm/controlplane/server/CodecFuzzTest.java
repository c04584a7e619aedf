package dev.rtfs.microvm.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.protocol.Decoded;
import dev.rtfs.microvm.controlplane.protocol.GuestMessage;
import dev.rtfs.microvm.controlplane.protocol.Health;
import dev.rtfs.microvm.controlplane.protocol.HealthStatus;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.HostMessage;
import dev.rtfs.microvm.controlplane.protocol.MessageCodec;
import dev.rtfs.microvm.controlplane.protocol.Metrics;
import dev.rtfs.microvm.controlplane.protocol.MetricsReport;
import dev.rtfs.microvm.controlplane.protocol.ProtocolError;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import dev.rtfs.microvm.controlplane.sender.ReliableSender;
import dev.rtfs.microvm.controlplane.transport.ListeningTransport;
import dev.rtfs.microvm.controlplane.transport.UnixSockets;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * 100,000+ random and mutated frames: decoding never throws, the server answers every bad frame with an error and
 * counts it, stays up, and serves a well-behaved client on another connection meanwhile.
 */
class CodecFuzzTest {
    private static final int FRAMES = Integer.getInteger("rtfs.fuzz.frames", 100_000);

    @TempDir Path dir;

    private static long seed() {
        long seed = Long.getLong("rtfs.fuzz.seed", System.nanoTime());
        System.out.println("CodecFuzzTest seed " + seed + " (-Drtfs.fuzz.seed=" + seed + " to repeat)");
        return seed;
    }

    @Test
    void decoderOnlyEverAcceptsOrRejects() {
        FrameFuzzer fuzz = new FrameFuzzer(seed());
        MessageCodec codec = new MessageCodec();
        Map<ProtocolError, Integer> seen = new EnumMap<>(ProtocolError.class);
        int accepted = 0;
        for (int i = 0; i < FRAMES / 2; i++) { // the socket test below sends the full count through the server
            switch (codec.decodeGuest(fuzz.next())) {
                case Decoded.Accepted<GuestMessage> a -> accepted++;
                case Decoded.Rejected<GuestMessage> r -> seen.merge(r.error(), 1, Integer::sum);
            }
        }
        System.out.println("decoder fuzz: accepted " + accepted + ", rejected " + seen);
        assertThat(seen.keySet()).contains(ProtocolError.MALFORMED_JSON, ProtocolError.INVALID_UTF8,
                ProtocolError.UNKNOWN_TYPE, ProtocolError.MISSING_FIELD, ProtocolError.UNEXPECTED_FIELD,
                ProtocolError.WRONG_TYPE, ProtocolError.UNSUPPORTED_VERSION, ProtocolError.FRAME_TOO_LARGE);
    }

    @Test
    void serverSurvivesFuzzAndKeepsServingAWellBehavedClient() throws Exception {
        FrameFuzzer fuzz = new FrameFuzzer(seed());
        Path sock = dir.resolve("ctl.sock");
        try (ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
             ControlServer server = new ControlServer(ListeningTransport.virtioSerial(sock), chain,
                     new AdmissionCache(1000, 1 << 20), ControlServerOptions.defaults()).start()) {

            // The well-behaved client streams events the whole time on its own connection.
            CompletableFuture<Long> good = CompletableFuture.supplyAsync(() -> {
                try (ReliableSender sender = new ReliableSender("agent.good", "boot", () -> UnixSockets.connect(sock),
                        ReliableSender.Options.defaults(dir.resolve("spill")), m -> { }).start()) {
                    long last = 0;
                    for (int i = 0; i < 2000; i++) {
                        last = sender.send("ok.event", "s", JsonNodeFactory.instance.objectNode().put("i", i));
                    }
                    assertThat(sender.awaitAcked(last, Duration.ofSeconds(60))).isTrue();
                    return last;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });

            MessageCodec codec = new MessageCodec();
            try (TestGuest fuzzer = new TestGuest(UnixSockets.connect(sock))) {
                fuzzer.send(new Hello("agent.fuzz", "boot", 0));
                fuzzer.next(Welcome.class);
                ByteArrayOutputStream chunk = new ByteArrayOutputStream();
                long sent = 1;
                for (int i = 0; i < FRAMES; i++) {
                    chunk.writeBytes(fuzz.next());
                    chunk.write('\n');
                    sent++;
                    if (i % 8 == 7) { // a good frame now and then keeps this connection under the burst limit
                        chunk.writeBytes(codec.encode(new Health()));
                        sent++;
                    }
                    if (chunk.size() > 32 * 1024) {
                        fuzzer.raw(chunk.toByteArray());
                        chunk.reset();
                    }
                }
                chunk.writeBytes(codec.encode(new Metrics(Map.of())));
                sent++;
                fuzzer.raw(chunk.toByteArray());
                // Every frame was answered or counted: the final report accounts for all of them.
                MetricsReport report = null;
                while (report == null || report.framesAccepted() + report.framesRejected() != sent) {
                    HostMessage m = fuzzer.next();
                    if (m instanceof MetricsReport r) report = r;
                }
                System.out.println("socket fuzz: " + sent + " frames, " + report.framesRejected() + " rejected");
                assertThat(report.framesRejected()).isGreaterThan(FRAMES / 2);
                fuzzer.send(new Health());
                HostMessage last;
                do {
                    last = fuzzer.next();
                } while (!(last instanceof HealthStatus));
            }
            assertThat(good.get(120, TimeUnit.SECONDS)).isEqualTo(2000);
            assertThat(chain.lastDurableOriginSeq("agent.good/boot")).isEqualTo(2000);
            assertThat(server.counters().rejectedFrames()).isGreaterThan(FRAMES / 2);
        }
    }
}
