package dev.rtfs.microvm.controlplane.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.controlplane.chain.ChainOptions;
import dev.rtfs.microvm.controlplane.chain.ChainStore;
import dev.rtfs.microvm.controlplane.protocol.Ack;
import dev.rtfs.microvm.controlplane.protocol.Event;
import dev.rtfs.microvm.controlplane.protocol.Hello;
import dev.rtfs.microvm.controlplane.protocol.Welcome;
import dev.rtfs.microvm.controlplane.server.AdmissionCache;
import dev.rtfs.microvm.controlplane.server.ControlServer;
import dev.rtfs.microvm.controlplane.server.ControlServerOptions;
import dev.rtfs.microvm.controlplane.server.TestGuest;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;

/** QEMU's virtio-serial chardev ends in a host Unix socket, with QEMU as client (reconnect=1) or as server. */
class VirtioSerialTest {
    @TempDir Path dir;

    @Test
    void qemuAsClientReconnectsAndIsWelcomedWithWhatIsDurable() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        Files.createFile(sock); // a stale non-socket file is never deleted silently...
        try {
            ListeningTransport.virtioSerial(sock);
            throw new AssertionError("expected refusal");
        } catch (java.io.IOException e) {
            assertThat(e).hasMessageContaining("not a socket");
        }
        Files.delete(sock);
        try (ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
             ControlServer server = new ControlServer(ListeningTransport.virtioSerial(sock), chain,
                     new AdmissionCache(10, 1 << 20), ControlServerOptions.defaults()).start()) {
            try (TestGuest qemu = new TestGuest(UnixSockets.connect(sock))) {
                qemu.send(new Hello("agent.q", "boot", 0));
                qemu.next(Welcome.class);
                qemu.send(new Event(1, "k", "s", JsonNodeFactory.instance.objectNode()));
                assertThat(qemu.next(Ack.class).seq()).isEqualTo(1);
            }
            try (TestGuest qemu = new TestGuest(UnixSockets.connect(sock))) { // QEMU reconnects
                qemu.send(new Hello("agent.q", "boot", 1));
                assertThat(qemu.next(Welcome.class).lastDurableSeq()).isEqualTo(1);
            }
        }
        // ...but a stale socket left by a dead server is replaced.
        try (ListeningTransport again = ListeningTransport.virtioSerial(sock)) {
            assertThat(Files.exists(again.path())).isTrue();
        }
    }

    @Test
    void hostDialsQemuInServerMode() throws Exception {
        Path sock = dir.resolve("qemu.sock");
        try (ServerSocketChannel qemu = UnixSockets.listen(sock);
             ChainStore chain = ChainStore.open(dir.resolve("chain"), ChainOptions.defaults());
             ControlServer server = new ControlServer(DialingTransport.virtioSerial(sock, Duration.ofMillis(20)), chain,
                     new AdmissionCache(10, 1 << 20), ControlServerOptions.defaults()).start()) {
            try (TestGuest g = new TestGuest(qemu.accept())) {
                g.send(new Hello("agent.q", "boot", 0));
                assertThat(g.next(Welcome.class).lastDurableSeq()).isZero();
            }
            try (TestGuest g = new TestGuest(qemu.accept())) { // the host dials again after the connection ended
                g.send(new Hello("agent.q", "boot", 0));
                assertThat(g.next(Welcome.class).lastDurableSeq()).isZero();
            }
        }
    }
}
