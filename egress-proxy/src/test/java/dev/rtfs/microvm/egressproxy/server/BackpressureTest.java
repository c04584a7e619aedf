package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egressproxy.testing.RawClient;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A client that stops reading stalls the origin: the tunnel buffers a bounded amount, then everything arrives. */
class BackpressureTest {

    static final long TOTAL = 96L << 20;

    @Test
    void slowReaderStallsTheOriginInsteadOfFillingTheProxy() throws Exception {
        AtomicLong written = new AtomicLong();
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2));
                ServerSocket origin = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = origin.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] head = in.readNBytes(5);
                    in.readNBytes(((head[3] & 0xff) << 8) | (head[4] & 0xff)); // the ClientHello record
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    while (written.get() < TOTAL) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (java.io.IOException e) {
                    // the test ended
                }
            });
            fx.resolver.map("bulk.test", "127.0.0.1");
            int port = fx.agent("a", "{\"allow_domains\":[\"bulk.test\"],\"connect_ports\":[" + origin.getLocalPort()
                    + "],\"allow_ranges\":[\"127.0.0.0/8\"],\"max_response_bytes\":" + TOTAL + "}");
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("CONNECT bulk.test:" + origin.getLocalPort() + " HTTP/1.1\r\nHost: bulk.test\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(RawClient.readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
                s.getOutputStream().write(TlsHello.clientHello("bulk.test"));

                // Not reading: wait until the origin cannot write any more (bounded wait).
                long last = -1;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < deadline) {
                    Thread.sleep(300);
                    long now = written.get();
                    if (now == last && now > 0) {
                        break;
                    }
                    last = now;
                }
                long stalledAt = written.get();
                assertThat(stalledAt).as("origin stalls: kernel buffers + one proxy water mark, not the whole body")
                        .isPositive().isLessThan(TOTAL / 2);

                long got = 0;
                byte[] buf = new byte[256 * 1024];
                InputStream in = s.getInputStream();
                while (got < TOTAL) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    got += n;
                }
                assertThat(got).isEqualTo(TOTAL);
            }
        }
    }
}
