package dev.rtfs.microvm.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the egress proxy on a loopback port: QEMU's guestfwd connects to it once at startup and carries
 * the guest's TCP stream to 10.0.2.100:3128 over that connection. It answers one proxied GET with a fixed body
 * (Content-Length framed, so the guest's wget is done without waiting for a close) and remembers the request line.
 */
final class AgentProxyStandIn implements AutoCloseable {
    private final ServerSocket server;
    private final CompletableFuture<String> requestLine = new CompletableFuture<>();
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

    /** The first line of the request the guest sent, e.g. {@code GET http://host/path HTTP/1.1}. */
    String requestLine() throws Exception {
        return requestLine.get(10, TimeUnit.SECONDS);
    }

    private void serve(byte[] body) {
        try {
            Socket s = server.accept();
            connection = s;
            InputStream in = s.getInputStream();
            String head = readHead(in);
            requestLine.complete(head.lines().findFirst().orElse(""));
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } catch (IOException e) {
            requestLine.completeExceptionally(e);
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
