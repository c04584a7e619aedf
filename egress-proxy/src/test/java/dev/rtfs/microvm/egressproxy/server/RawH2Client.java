package dev.rtfs.microvm.egressproxy.server;

import dev.rtfs.microvm.egressproxy.testing.RawClient;
import dev.rtfs.microvm.egressproxy.testing.TestCa;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A hostile h2 client for tests: CONNECT through the proxy on loopback, TLS with ALPN h2 trusting the proxy's CA,
 * then frames written as raw bytes (header blocks HPACK-encoded by Netty's encoder), so it can send what no
 * well-behaved client would: floods, too many streams, oversized header lists, garbage.
 */
final class RawH2Client implements AutoCloseable {

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int GOAWAY = 7;
    static final int CONTINUATION = 9;
    static final int END_STREAM = 0x1;
    static final int END_HEADERS = 0x4;

    /** A frame the proxy sent. */
    record Frame(int type, int flags, int streamId, byte[] payload) {
        /** The error code of a RST_STREAM (4 bytes) or GOAWAY (after the last stream id). */
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    private final Socket plain;
    private final SSLSocket tls;
    private final OutputStream out;
    private final DataInputStream in;
    /** How the last read ended (for assertion messages). */
    String ended = "";
    private final Http2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();

    private RawH2Client(Socket plain, SSLSocket tls) throws IOException {
        this.plain = plain;
        this.tls = tls;
        this.out = tls.getOutputStream();
        this.in = new DataInputStream(tls.getInputStream());
    }

    /** CONNECT {@code host:port} on the proxy listener, TLS (SNI {@code host}, ALPN h2), preface and SETTINGS. */
    static RawH2Client open(int listener, String host, int port, String proxyCaPem) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), listener);
        s.setSoTimeout(10_000);
        String authority = host + ":" + port;
        s.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = RawClient.readHead(s.getInputStream());
        if (!head.startsWith("HTTP/1.1 200")) {
            s.close();
            throw new IOException("CONNECT refused: " + head);
        }
        SSLContext ctx = TestCa.trusting(proxyCaPem);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(s, host, port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setApplicationProtocols(new String[] {"h2"});
        params.setServerNames(List.of(new SNIHostName(host)));
        tls.setSSLParameters(params);
        tls.startHandshake();
        if (!"h2".equals(tls.getApplicationProtocol())) {
            tls.close();
            throw new IOException("ALPN chose " + tls.getApplicationProtocol());
        }
        RawH2Client c = new RawH2Client(s, tls);
        c.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        c.frame(SETTINGS, 0, 0, new byte[0]);
        c.out.flush();
        return c;
    }

    void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] h = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
            (byte) type, (byte) flags, (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8),
            (byte) streamId};
        out.write(h);
        out.write(payload);
    }

    /** A header block in a HEADERS frame and as many CONTINUATIONs as 16 KiB frames need. */
    void headers(int streamId, Http2Headers headers, boolean endStream) throws Exception {
        ByteBuf block = Unpooled.buffer();
        hpack.encodeHeaders(streamId, headers, block);
        byte[] all = new byte[block.readableBytes()];
        block.readBytes(all);
        block.release();
        int at = 0;
        boolean first = true;
        do {
            int n = Math.min(16384, all.length - at);
            byte[] part = java.util.Arrays.copyOfRange(all, at, at + n);
            at += n;
            int flags = (at == all.length ? END_HEADERS : 0) | (first && endStream ? END_STREAM : 0);
            frame(first ? HEADERS : CONTINUATION, flags, streamId, part);
            first = false;
        } while (at < all.length);
    }

    void rst(int streamId, int errorCode) throws IOException {
        frame(RST_STREAM, 0, streamId, new byte[] {(byte) (errorCode >>> 24), (byte) (errorCode >>> 16),
            (byte) (errorCode >>> 8), (byte) errorCode});
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * Frames the proxy sends until it closes, sends a GOAWAY, or {@code quietMillis} pass without one (a write
     * failing because the proxy closed counts as a close).
     */
    List<Frame> readUntilGoawayOrClose(int quietMillis) throws IOException {
        List<Frame> frames = new ArrayList<>();
        tls.setSoTimeout(quietMillis);
        try {
            while (true) {
                int len = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[len];
                in.readFully(payload);
                Frame f = new Frame(type, flags, stream, payload);
                frames.add(f);
                if (type == GOAWAY) {
                    return frames;
                }
            }
        } catch (IOException e) {
            ended = e.toString(); // EOF, quiet, or reset by the proxy
            return frames;
        }
    }

    /** True when the proxy closed the connection (reading hits EOF within {@code millis}). */
    boolean closedWithin(int millis) {
        try {
            tls.setSoTimeout(millis);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                sink.write(buf, 0, n);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            tls.close();
        } finally {
            plain.close();
        }
    }
}
