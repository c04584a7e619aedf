package dev.rtfs.microvm.egressproxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An HTTP(S) origin on 127.0.0.1 that counts every request it gets and keeps their bodies. {@code /echo} answers
 * with the method, the Host header and the body; {@code /big?n=N} answers N bytes.
 */
public final class LoopbackOrigin implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger hits = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private final List<com.sun.net.httpserver.Headers> headers = new CopyOnWriteArrayList<>();
    /** The client address of every request: one per connection it came over. */
    private final java.util.Set<String> peers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private LoopbackOrigin(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static LoopbackOrigin http() throws IOException {
        return new LoopbackOrigin(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64));
    }

    public static LoopbackOrigin https(SSLContext ctx) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx));
        return new LoopbackOrigin(s);
    }

    private void handle(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        peers.add(String.valueOf(ex.getRemoteAddress()));
        byte[] in = ex.getRequestBody().readAllBytes();
        String body = new String(in, StandardCharsets.ISO_8859_1);
        bodies.add(body);
        hosts.add(String.valueOf(ex.getRequestHeaders().getFirst("Host")));
        headers.add(ex.getRequestHeaders());
        byte[] out;
        String q = ex.getRequestURI().getQuery();
        if (ex.getRequestURI().getPath().equals("/big") && q != null && q.startsWith("n=")) {
            out = new byte[Integer.parseInt(q.substring(2))];
        } else {
            out = (ex.getRequestMethod() + " " + ex.getRequestURI() + " host=" + ex.getRequestHeaders().getFirst("Host")
                    + " body=" + body).getBytes(StandardCharsets.ISO_8859_1);
        }
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, out.length == 0 ? -1 : out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    /** An HTTPS origin that refuses a handshake without a client certificate {@code ctx} trusts. */
    public static LoopbackOrigin httpsNeedingClientCert(SSLContext ctx) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
                javax.net.ssl.SSLParameters p = ctx.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        return new LoopbackOrigin(s);
    }

    /** The request headers of every request, in arrival order. */
    public List<com.sun.net.httpserver.Headers> headers() {
        return headers;
    }

    /** Distinct client connections (address and port) requests came over. */
    public int connections() {
        return peers.size();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int hits() {
        return hits.get();
    }

    public List<String> bodies() {
        return bodies;
    }

    public List<String> hosts() {
        return hosts;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
