package dev.rtfs.microvm.controlplane.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import dev.rtfs.microvm.controlplane.server.AdmissionCache;
import dev.rtfs.microvm.controlplane.server.ControlServer;
import dev.rtfs.microvm.controlplane.server.ControlServerOptions;
import dev.rtfs.microvm.controlplane.server.TestGuest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridVsockTest {
    @TempDir Path dir;

    @Test
    void hostInitiatedSendsExactlyConnectPortNewlineAndParsesOk() throws Exception {
        Path uds = dir.resolve("v.sock");
        try (FakeFirecrackerVsock fc = new FakeFirecrackerVsock(uds, FakeFirecrackerVsock.Mode.OK, 52, 1073741824L,
                (c, first) -> Thread.sleep(5000))) {
            HybridVsock.Connection conn = HybridVsock.connect(uds, 52, Duration.ofSeconds(5));
            assertThat(fc.requests.poll(5, TimeUnit.SECONDS)).isEqualTo("CONNECT 52\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(conn.hostPort()).isEqualTo(1073741824L);
            // The guest's bytes that followed "OK ...\n" in the same write are still in the channel.
            ByteBuffer buf = ByteBuffer.allocate(64);
            while (buf.position() < 18) conn.channel().read(buf);
            assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII)).isEqualTo("{\"guest\":\"first\"}\n");
            conn.channel().close();
        }
        assertThat(HybridVsock.connectRequest(0xFFFF_FFFFL)).isEqualTo("CONNECT 4294967295\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void handshakeFailuresAreErrorsNamingWhatHappened() throws Exception {
        Path uds = dir.resolve("v.sock");
        try (var fc = new FakeFirecrackerVsock(uds, FakeFirecrackerVsock.Mode.NO_LISTENER, 52, 0, null)) {
            assertThatThrownBy(() -> HybridVsock.connect(uds, 52, Duration.ofSeconds(5)))
                    .isInstanceOf(VsockHandshakeException.class).hasMessageContaining("connection closed after CONNECT 52");
        }
        try (var fc = new FakeFirecrackerVsock(uds, FakeFirecrackerVsock.Mode.GARBAGE, 52, 0, null)) {
            assertThatThrownBy(() -> HybridVsock.connect(uds, 52, Duration.ofSeconds(5)))
                    .isInstanceOf(VsockHandshakeException.class).hasMessageContaining("got \"ERR no such port\"");
        }
        try (var fc = new FakeFirecrackerVsock(uds, FakeFirecrackerVsock.Mode.ENDLESS, 52, 0, null)) {
            assertThatThrownBy(() -> HybridVsock.connect(uds, 52, Duration.ofSeconds(5)))
                    .isInstanceOf(VsockHandshakeException.class).hasMessageContaining("longer than 32 bytes");
        }
        try (var fc = new FakeFirecrackerVsock(uds, FakeFirecrackerVsock.Mode.SILENT, 52, 0, null)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> HybridVsock.connect(uds, 52, Duration.ofMillis(200)))
                    .isInstanceOf(VsockHandshakeException.class).hasMessageContaining("timed out after 200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThatThrownBy(() -> HybridVsock.parseOk("OK 4294967296", uds, 1)).isInstanceOf(VsockHandshakeException.class);
        assertThatThrownBy(() -> HybridVsock.parseOk("ok 5", uds, 1)).isInstanceOf(VsockHandshakeException.class);
        assertThatThrownBy(() -> HybridVsock.parseOk("OK 5 ", uds, 1)).isInstanceOf(VsockHandshakeException.class);
    }

    @Test
    void controlServerDialsTheGuestThroughTheVsockHandshake() throws Exception {
        Path uds = dir.resolve("v.sock");
        CompletableFuture<Welcome> welcome = new CompletableFuture<>();
        FakeFirecrackerVsock.Guest guest = (channel, greeting) -> {
            // The greeting the fake wrote first is a bad frame; the host answers it with an error, then the hello.
            TestGuest g = new TestGuest(channel);
            try {
                g.next(dev.rtfs.microvm.controlplane.protocol.ErrorReply.class);
                g.send(new Hello("agent.fc", "boot", 0));
                welcome.complete(g.next(Welcome.class));
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (var fc = new FakeFirecrackerVsock(uds, FakeFirecrackerVsock.Mode.OK, 1024, 3000, guest);
             ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
             ControlServer server = new ControlServer(
                     DialingTransport.vsockHostInitiated(uds, 1024, Duration.ofMillis(20), Duration.ofSeconds(5)),
                     chain, new AdmissionCache(10, 1 << 20), ControlServerOptions.defaults()).start()) {
            assertThat(welcome.get(10, TimeUnit.SECONDS).lastDurableSeq()).isZero();
            assertThat(fc.requests.poll()).isEqualTo("CONNECT 1024\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void guestInitiatedConnectionsArriveOnUdsPathUnderscorePort() throws Exception {
        Path uds = dir.resolve("v.sock");
        try (var fc = new FakeFirecrackerVsock(uds, FakeFirecrackerVsock.Mode.OK, 52, 1, null);
             ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
             ListeningTransport transport = ListeningTransport.vsockGuestInitiated(uds, 1024);
             ControlServer server = new ControlServer(transport, chain, new AdmissionCache(10, 1 << 20),
                     ControlServerOptions.defaults()).start()) {
            assertThat(transport.path()).isEqualTo(Path.of(uds + "_1024"));
            assertThat(Files.exists(transport.path())).isTrue();
            try (TestGuest g = new TestGuest(fc.guestInitiated(1024))) { // no preamble on this side
                g.send(new Hello("agent.fc", "boot", 0));
                assertThat(g.next(Welcome.class).lastDurableSeq()).isZero();
            }
        }
    }

    @Test
    void socketPathsLongerThanSunPathAreRefused() {
        Path longPath = Path.of("/tmp/" + "x".repeat(100) + ".sock");
        assertThatThrownBy(() -> HybridVsock.guestInitiatedPath(longPath, 52)).hasMessageContaining("107");
    }
}
