package dev.rtfs.microvm.egressproxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Writes raw bytes to a loopback port and reads the answer until the peer closes (or a timeout). */
public final class RawClient {

    private RawClient() {}

    /** The bytes received and whether the peer closed the connection (false: timed out while open). */
    public record Answer(String text, boolean closed) {
        public int status() {
            if (!text.startsWith("HTTP/1.1 ")) {
                return 0;
            }
            return Integer.parseInt(text.substring(9, 12));
        }
    }

    public static Answer exchange(int port, byte[] request, boolean halfClose, int timeoutMs) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(timeoutMs);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            return readAll(s.getInputStream());
        }
    }

    public static Answer exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), false, 5000);
    }

    public static Answer readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        boolean closed = false;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            closed = true;
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            closed = true; // reset by peer counts as closed
        }
        return new Answer(out.toString(StandardCharsets.ISO_8859_1), closed);
    }

    /** Reads a response head up to and including the blank line (or to EOF), one byte at a time: nothing after it. */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
