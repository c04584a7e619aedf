package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egressproxy.testing.RawClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.observe.DecisionRecord;
import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * CONNECT tunnels after the ClientHello: exact byte counts in the decision record, the request and response caps
 * applied to the tunnel's two directions, and the idle timeout, which an active tunnel never hits.
 */
class TunnelTest {

    /** An origin that reads the ClientHello, reads {@code readUp} more bytes, then sends {@code send} bytes in {@code chunks} paced by {@code pauseMs}. */
    private static Thread origin(ServerSocket server, long readUp, long send, int chunk, long pauseMs, AtomicLong received) {
        return Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(5);
                in.readNBytes(((head[3] & 0xff) << 8) | (head[4] & 0xff));
                byte[] buf = new byte[64 * 1024];
                while (received.get() < readUp) {
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    received.addAndGet(n);
                }
                OutputStream out = s.getOutputStream();
                byte[] data = new byte[chunk];
                for (long left = send; left > 0; left -= chunk) {
                    out.write(data, 0, (int) Math.min(chunk, left));
                    out.flush();
                    if (pauseMs > 0) {
                        Thread.sleep(pauseMs);
                    }
                }
                s.shutdownOutput();
                while (in.read(buf) >= 0) {
                    received.addAndGet(0); // drain until the proxy closes
                }
            } catch (IOException | InterruptedException e) {
                // the proxy cut the tunnel
            }
        });
    }

    private static Socket connect(int proxyPort, int originPort, byte[] hello) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("CONNECT cap.test:" + originPort + " HTTP/1.1\r\nHost: cap.test\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
        s.getOutputStream().write(hello);
        return s;
    }

    private static long drain(InputStream in) {
        long got = 0;
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got += n;
            }
        } catch (IOException e) {
            // a reset ends the stream too
        }
        return got;
    }

    private static String rules(int originPort, String extra) {
        return "{\"allow_domains\":[\"cap.test\"],\"connect_ports\":[" + originPort
                + "],\"allow_ranges\":[\"127.0.0.0/8\"]" + extra + "}";
    }

    @Test
    void aTunnelAtExactlyItsCapsPassesAndTheRecordCountsEveryByte() throws Exception {
        byte[] hello = TlsHello.clientHello("cap.test");
        long up = 300_000;
        long down = 5L << 20;
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5));
                ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            fx.resolver.map("cap.test", "127.0.0.1");
            AtomicLong received = new AtomicLong();
            origin(server, up, down, 64 * 1024, 0, received);
            int port = fx.agent("a", rules(server.getLocalPort(),
                    ",\"max_request_bytes\":" + (hello.length + up) + ",\"max_response_bytes\":" + down));
            try (Socket s = connect(port, server.getLocalPort(), hello)) {
                s.getOutputStream().write(new byte[(int) up]);
                assertThat(drain(s.getInputStream())).isEqualTo(down);
            }
            DecisionRecord r = fx.awaitRecord(x -> x.method().equals("CONNECT"));
            assertThat(r.outcome()).isEqualTo("ALLOW");
            assertThat(r.bytesIn()).isEqualTo(hello.length + up);
            assertThat(r.bytesOut()).isEqualTo(down);
            assertThat(received.get()).isEqualTo(up);
        }
    }

    @Test
    void aDownloadPastTheResponseCapIsCutAndRecorded() throws Exception {
        long cap = 2L << 20;
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5));
                ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            fx.resolver.map("cap.test", "127.0.0.1");
            origin(server, 0, 64L << 20, 64 * 1024, 0, new AtomicLong());
            int port = fx.agent("a", rules(server.getLocalPort(), ",\"max_response_bytes\":" + cap));
            try (Socket s = connect(port, server.getLocalPort(), TlsHello.clientHello("cap.test"))) {
                assertThat(drain(s.getInputStream())).as("never more than the cap reaches the client").isLessThanOrEqualTo(cap);
            }
            DecisionRecord r = fx.awaitRecord(x -> x.method().equals("CONNECT"));
            assertThat(r.outcome()).isEqualTo("DENY");
            assertThat(r.reason()).isEqualTo("response-too-large");
            assertThat(r.bytesOut()).isGreaterThan(cap).isLessThan(64L << 20);
        }
    }

    @Test
    void anUploadPastTheRequestCapIsCutAndTheOriginNeverSeesTheExcess() throws Exception {
        byte[] hello = TlsHello.clientHello("cap.test");
        long cap = 1L << 20;
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5));
                ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            fx.resolver.map("cap.test", "127.0.0.1");
            AtomicLong received = new AtomicLong();
            origin(server, Long.MAX_VALUE, 0, 1, 0, received);
            int port = fx.agent("a", rules(server.getLocalPort(), ",\"max_request_bytes\":" + cap));
            try (Socket s = connect(port, server.getLocalPort(), hello)) {
                try {
                    for (int i = 0; i < 64; i++) {
                        s.getOutputStream().write(new byte[64 * 1024]);
                    }
                } catch (IOException e) {
                    // the proxy closed the tunnel under us: expected
                }
                drain(s.getInputStream());
            }
            DecisionRecord r = fx.awaitRecord(x -> x.method().equals("CONNECT"));
            assertThat(r.outcome()).isEqualTo("DENY");
            assertThat(r.reason()).isEqualTo("request-too-large");
            assertThat(received.get() + hello.length).isLessThanOrEqualTo(cap);
        }
    }

    @Test
    void aSlowButActiveTunnelOutlivesTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofMillis(500);
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(5), idle);
                ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            fx.resolver.map("cap.test", "127.0.0.1");
            // 12 bytes, one every 200 ms: 2.4 s in all, each gap well under the 500 ms idle timeout.
            origin(server, 0, 12, 1, 200, new AtomicLong());
            int port = fx.agent("a", rules(server.getLocalPort(), ""));
            long start = System.nanoTime();
            try (Socket s = connect(port, server.getLocalPort(), TlsHello.clientHello("cap.test"))) {
                assertThat(drain(s.getInputStream())).isEqualTo(12);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2000));
            DecisionRecord r = fx.awaitRecord(x -> x.method().equals("CONNECT"));
            assertThat(r.outcome()).isEqualTo("ALLOW");
            assertThat(r.bytesOut()).isEqualTo(12);
        }
    }
}
