package dev.rtfs.microvm.bench.proxy;

import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TlsHello;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load tool for bench/scripts/proxy-bench.sh (JDK only; runs as {@code java ProxyBench.java MODE ...}). All
 * sockets are loopback.
 *
 * <ul>
 *   <li>{@code origin HTTP_PORT BULK_PORT HOLD_PORT BULK_BYTES}: a keep-alive HTTP origin answering 128 bytes;
 *       a bulk origin that reads one TLS record (the ClientHello) and then streams BULK_BYTES and closes; a
 *       hold origin that keeps connections open.</li>
 *   <li>{@code bulk PROXY|direct TARGET_HOST TARGET_PORT SNI BYTES}: one tunnel, prints MiB/s.</li>
 *   <li>{@code idle PROXY TARGET_HOST TARGET_PORT SNI COUNT}: opens COUNT tunnels, prints READY, holds them
 *       until stdin closes.</li>
 * </ul>
 * PROXY is {@code host:port} of an HTTP proxy (CONNECT is used) or {@code direct}.
 */
public final class ProxyBench {

    private ProxyBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "origin" -> origin(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Long.parseLong(args[4]));
            case "bulk" -> bulk(args[1], args[2], Integer.parseInt(args[3]), args[4], Long.parseLong(args[5]));
            case "idle" -> idle(args[1], args[2], Integer.parseInt(args[3]), args[4], Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    // ------------------------------------------------------------------ origins

    static void origin(int httpPort, int bulkPort, int holdPort, long bulkBytes) throws Exception {
        ServerSocket http = bind(httpPort);
        ServerSocket bulk = bind(bulkPort);
        ServerSocket hold = bind(holdPort);
        Thread.ofPlatform().start(() -> accept(http, ProxyBench::serveHttp));
        Thread.ofPlatform().start(() -> accept(bulk, s -> serveBulk(s, bulkBytes)));
        Thread.ofPlatform().start(() -> accept(hold, ProxyBench::serveHold));
        System.out.println("origin ready");
        new CountDownLatch(1).await();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8192);
        return s;
    }

    interface Conn {
        void serve(Socket s) throws IOException;
    }

    private static void accept(ServerSocket server, Conn conn) {
        while (true) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        conn.serve(s);
                    } catch (IOException e) {
                        // client went away
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private static final byte[] HTTP_RESPONSE;

    static {
        String body = "x".repeat(128);
        HTTP_RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void serveHttp(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
        OutputStream out = s.getOutputStream();
        int state = 0; // counts the \r\n\r\n terminator; requests have no body
        int b;
        while ((b = in.read()) >= 0) {
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
            if (state == 4) {
                out.write(HTTP_RESPONSE);
                out.flush();
                state = 0;
            }
        }
    }

    private static void serveBulk(Socket s, long bytes) throws IOException {
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(5);
        if (head.length < 5) {
            return;
        }
        int len = ((head[3] & 0xff) << 8) | (head[4] & 0xff);
        in.readNBytes(len);
        OutputStream out = s.getOutputStream();
        byte[] chunk = new byte[256 * 1024];
        long left = bytes;
        while (left > 0) {
            int n = (int) Math.min(chunk.length, left);
            out.write(chunk, 0, n);
            left -= n;
        }
        out.flush();
        s.shutdownOutput();
        while (in.read(chunk) >= 0) {
            // wait for the client to close
        }
    }

    private static void serveHold(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // hold the connection; discard the ClientHello
        }
    }

    // ------------------------------------------------------------------ clients

    /** Opens a connection to the target, through CONNECT when {@code proxy} is not "direct", and sends a ClientHello. */
    static Socket tunnel(String proxy, String host, int port, byte[] hello) throws IOException {
        Socket s;
        if (proxy.equals("direct")) {
            s = new Socket(InetAddress.getLoopbackAddress(), port);
        } else {
            int c = proxy.lastIndexOf(':');
            s = new Socket(proxy.substring(0, c), Integer.parseInt(proxy.substring(c + 1)));
            s.getOutputStream().write(("CONNECT " + host + ":" + port + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = RawClient.readHead(s.getInputStream());
            if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200")) {
                s.close();
                throw new IOException("CONNECT refused: " + head.lines().findFirst().orElse(""));
            }
        }
        s.setReceiveBufferSize(1 << 20);
        s.getOutputStream().write(hello);
        s.getOutputStream().flush();
        return s;
    }


    static void bulk(String proxy, String host, int port, String sni, long bytes) throws Exception {
        byte[] hello = TlsHello.clientHello(sni);
        long start = System.nanoTime();
        long got = 0;
        try (Socket s = tunnel(proxy, host, port, hello)) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256 * 1024];
            int n;
            while (got < bytes && (n = in.read(buf)) >= 0) {
                got += n;
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (got < bytes) {
            throw new IOException("short transfer: " + got + " of " + bytes);
        }
        System.out.printf("bulk %s bytes=%d seconds=%.3f MiBps=%.1f%n", proxy, got, secs, got / secs / (1 << 20));
    }

    static void idle(String proxy, String host, int port, String sni, int count) throws Exception {
        byte[] hello = TlsHello.clientHello(sni);
        List<Socket> open = new ArrayList<>(count);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            try {
                open.add(tunnel(proxy, host, port, hello));
            } catch (IOException e) {
                if (failed.incrementAndGet() == 1) {
                    System.err.println("idle: " + e.getMessage());
                }
            }
        }
        System.out.println("READY open=" + open.size() + " failed=" + failed.get());
        System.out.flush();
        System.in.read(); // hold until the script closes our stdin
        for (Socket s : open) {
            s.close();
        }
    }
}
