package dev.rtfs.microvm.egressproxy.observe;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Opt-in Prometheus scrape endpoint ({@code GET /metrics}) and readiness ({@code GET /healthz}: 200 {@code ok} while
 * {@code ready} says so, else 503), on a loopback port or a given address ({@code --metrics-listen}).
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, int port) throws IOException {
        return start(registry, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), () -> true);
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress address, BooleanSupplier ready)
            throws IOException {
        HttpServer s = HttpServer.create(address, 16);
        s.createContext("/healthz", ex -> {
            boolean ok = ready.getAsBoolean();
            byte[] body = (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(ok ? 200 : 503, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        s.createContext("/metrics", ex -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        s.start();
        return new MetricsServer(s);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
