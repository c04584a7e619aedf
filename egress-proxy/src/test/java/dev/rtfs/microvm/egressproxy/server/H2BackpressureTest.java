package dev.rtfs.microvm.egressproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.rtfs.microvm.egresspolicy.acl.EnforcementMode;
import dev.rtfs.microvm.egressproxy.testing.Curl;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest that reads an h2 stream slowly stalls the origin: the stream's flow-control window and the proxy's
 * writability pause the upstream read, so the proxy never takes in much more than the guest consumes.
 */
class H2BackpressureTest {

    static final long TOTAL = 512L << 20;
    /** curl's h2 stream window (32 MiB) plus socket buffers on both legs: far below TOTAL. */
    static final long BOUND = 96L << 20;

    @TempDir
    Path tmp;

    @Test
    void aSlowH2ReaderStallsTheOriginInsteadOfFillingTheProxy() throws Exception {
        Curl.requireCurl();
        TestCa ca = new TestCa();
        Path originCa = ca.writeCaPem(tmp);
        AtomicLong written = new AtomicLong();
        HttpsServer origin = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        origin.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext("bulk.test")));
        origin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        origin.createContext("/", ex -> {
            ex.sendResponseHeaders(200, TOTAL);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = ex.getResponseBody()) {
                while (written.get() < TOTAL) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // the guest went away
            }
        });
        origin.start();
        try (ProxyFixture fx = new ProxyFixture(EnforcementMode.ENFORCE, Duration.ofSeconds(2))) {
            fx.resolver.map("bulk.test", "127.0.0.1");
            Path proxyCa = tmp.resolve("proxy-ca.pem");
            Files.writeString(proxyCa, fx.proxy.interceptionCaPem());
            int port = fx.agent("slow", "{\"allow_domains\":[\"bulk.test\"],\"connect_ports\":["
                    + origin.getAddress().getPort() + "],\"allow_ranges\":[\"127.0.0.0/8\"],\"max_response_bytes\":"
                    + TOTAL + ",\"tls\":\"intercept\",\"upstream_ca\":\"" + originCa + "\"}");
            Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--noproxy", "", "--http2", "--limit-rate", "256k",
                    "--cacert", proxyCa.toString(), "-x", fx.proxyUrl(port), "-o", "/dev/null", "-w",
                    "%{http_version}", "https://bulk.test:" + origin.getAddress().getPort() + "/bulk")
                    .redirectErrorStream(true).start();
            try {
                // Wait until the origin stalls (bounded), then check how far it got.
                long last = -1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
                while (System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    long now = written.get();
                    if (now == last && now > 0) {
                        break;
                    }
                    last = now;
                }
                assertThat(curl.isAlive()).as("curl still reading slowly").isTrue();
                assertThat(written.get()).as("bytes the origin got rid of while the guest read at 256 KiB/s")
                        .isPositive().isLessThan(BOUND);
            } finally {
                curl.destroyForcibly();
                curl.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            origin.stop(0);
        }
    }
}
