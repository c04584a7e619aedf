package dev.rtfs.microvm.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the egress proxy on a loopback port: QEMU's guestfwd relays each guest TCP connection to
 * 10.0.2.100:3128 as its own connection here (QemuSynthesizer.GUESTFWD_RELAY). Like the real proxy it answers each
 * proxied GET and closes, as the guest's wget asks ({@code Connection: close}): with a fixed body (after {@link #SLOW} for paths containing {@code /slow}), or 404 for paths containing {@code /missing} (Content-Length framed, so the guest's wget is done
 * without waiting for a close), and remembers each request line.
 */
final class AgentProxyStandIn implements AutoCloseable {
    /** How long a request for a path containing {@code /slow} waits before its answer. */
    static final java.time.Duration SLOW = java.time.Duration.ofSeconds(3);

    private final ServerSocket server;
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private volatile Socket connection;

    private AgentProxyStandIn(ServerSocket server) {
        this.server = server;
    }

    static AgentProxyStandIn start(String body) throws IOException {
        AgentProxyStandIn p = new AgentProxyStandIn(new ServerSocket(0, 4, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name("proxy-stand-in").start(() -> p.serve(body.getBytes(StandardCharsets.UTF_8)));
        return p;
    }

    int port() {
        return server.getLocalPort();
    }

    /** The first line of the next request the guest sent, e.g. {@code GET http://host/path HTTP/1.1}. */
    String requestLine() throws Exception {
        return requests.poll(10, TimeUnit.SECONDS);
    }

    private void serve(byte[] body) {
        try {
            while (true) {
                Socket s = server.accept();
                connection = s;
                Thread.ofVirtual().name("proxy-stand-in-conn").start(() -> answer(s, body));
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    private void answer(Socket s, byte[] body) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String line = head.lines().findFirst().orElse("");
            requests.add(line);
            boolean found = line.startsWith("GET ") && !line.contains("/missing");
            if (line.contains("/slow")) sleep(SLOW);
            byte[] b = found ? body : new byte[0];
            out.write(((found ? "HTTP/1.1 200 OK" : "HTTP/1.1 404 Not Found")
                    + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
        } catch (IOException e) {
            // the guest went away
        }
    }

    private static void sleep(java.time.Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes up to the blank line that ends the request head (bounded). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && head.size() < 16384) {
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n") || s.endsWith("\n\n")) break;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        Socket s = connection;
        if (s != null) s.close();
        server.close();
    }
}
