package dev.rtfs.microvm.controlplane.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketsTest {

    @TempDir
    Path dir;

    @Test
    void aRegularFileOrAFifoAtTheSocketPathIsRefusedAndKept() throws Exception {
        Path file = Files.writeString(dir.resolve("control.sock"), "operator's notes");
        assertThatThrownBy(() -> UnixSockets.listen(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a socket");
        assertThat(Files.readString(file)).isEqualTo("operator's notes");

        Path fifo = dir.resolve("fifo.sock");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThatThrownBy(() -> UnixSockets.listen(fifo)).hasMessageContaining("not a socket");
        assertThat(Files.exists(fifo)).isTrue();
    }

    @Test
    void aSocketSomethingListensOnIsRefusedAndAStaleOneIsReplaced() throws Exception {
        Path path = dir.resolve("control.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(path));
            assertThatThrownBy(() -> UnixSockets.listen(path)).hasMessageContaining("in use");
        }
        // closing a bound channel leaves the file: a stale socket, as a killed process leaves it
        assertThat(Files.exists(path)).isTrue();
        try (ServerSocketChannel fresh = UnixSockets.listen(path)) {
            assertThat(fresh.getLocalAddress()).isEqualTo(UnixDomainSocketAddress.of(path));
        }
    }
}
