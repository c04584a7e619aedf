package dev.rtfs.microvm.egressproxy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rtfs.microvm.egressproxy.EgressProxy;
import dev.rtfs.microvm.egressproxy.server.ProxyConfig;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control socket path is taken only when it is free or holds a stale socket (nothing listens: ECONNREFUSED). Any
 * other file, and a socket in use, is refused with the path in the message and left exactly as it was.
 */
class StaleSocketTest {

    @TempDir
    Path tmp;

    /** A socket file with no listener, as a crashed proxy leaves it. */
    private Path staleSocket(String name) throws IOException {
        Path p = tmp.resolve(name);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(p));
        s.close(); // the JDK leaves the file behind
        assertThat(p).exists();
        return p;
    }

    @Test
    void aRegularFileAtTheControlSocketPathIsRefusedAndKept() throws Exception {
        Path notOurs = tmp.resolve("important.txt");
        Files.writeString(notOurs, "keep me");
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            proxy.start();
            assertThatThrownBy(() -> ControlApiServer.start(proxy, notOurs)).isInstanceOf(IOException.class)
                    .hasMessageContaining(notOurs.toString()).hasMessageContaining("regular file");
        }
        assertThat(Files.readString(notOurs)).isEqualTo("keep me");
        assertThat(StaleSocket.inspect(notOurs)).isEqualTo(new StaleSocket.NotASocket("a regular file"));
    }

    @Test
    void directoriesSymlinksAndFifosAreNeverSockets() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Path target = Files.writeString(tmp.resolve("t"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("l"), target);
        Path linkToSocket = Files.createSymbolicLink(tmp.resolve("ls"), staleSocket("s"));
        assertThat(StaleSocket.inspect(dir)).isEqualTo(new StaleSocket.NotASocket("a directory"));
        assertThat(StaleSocket.inspect(link)).isEqualTo(new StaleSocket.NotASocket("a symbolic link"));
        assertThat(StaleSocket.inspect(linkToSocket)).isEqualTo(new StaleSocket.NotASocket("a symbolic link"));
        assertThatThrownBy(() -> StaleSocket.clear(linkToSocket)).hasMessageContaining("symbolic link");
        assertThat(linkToSocket).exists();
        Path fifo = tmp.resolve("f");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() == 0) {
            assertThat(StaleSocket.inspect(fifo)).isEqualTo(new StaleSocket.NotASocket("a FIFO"));
        }
        assertThat(StaleSocket.inspect(tmp.resolve("absent"))).isEqualTo(new StaleSocket.Absent());
    }

    @Test
    void aSocketSomethingListensOnIsRefusedAsInUseAndKeepsWorking() throws Exception {
        Path sock = tmp.resolve("live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            live.bind(UnixDomainSocketAddress.of(sock));
            proxy.start();
            assertThatThrownBy(() -> ControlApiServer.start(proxy, sock)).isInstanceOf(IOException.class)
                    .hasMessageContaining(sock.toString()).hasMessageContaining("in use");
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
                assertThat(c.isConnected()).as("the other listener still owns its socket").isTrue();
            }
        }
    }

    @Test
    void aStaleSocketIsReplacedByTheNewControlSocket() throws Exception {
        Path sock = staleSocket("ctl.sock");
        assertThat(StaleSocket.inspect(sock)).isEqualTo(new StaleSocket.Stale());
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            proxy.start();
            try (ControlApiServer ctl = ControlApiServer.start(proxy, sock)) {
                assertThat(StaleSocket.inspect(sock)).isEqualTo(new StaleSocket.Live());
            }
            assertThat(sock).doesNotExist();
        }
    }

    @Test
    void closingDoesNotRemoveAFileThatReplacedTheControlSocket() throws Exception {
        Path sock = tmp.resolve("ctl.sock");
        try (EgressProxy proxy = new EgressProxy(ProxyConfig.defaults().withIoThreads(1))) {
            proxy.start();
            ControlApiServer ctl = ControlApiServer.start(proxy, sock);
            Files.delete(sock);
            Files.writeString(sock, "someone else's");
            ctl.close();
        }
        assertThat(Files.readString(sock)).isEqualTo("someone else's");
    }
}
