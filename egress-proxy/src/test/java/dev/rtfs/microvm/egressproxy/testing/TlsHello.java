package dev.rtfs.microvm.egressproxy.testing;

import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Real ClientHello bytes from the JDK's TLS engine, with a chosen SNI or none. */
public final class TlsHello {

    private TlsHello() {}

    public static byte[] clientHello(String sniOrNull) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(true);
        SSLParameters p = e.getSSLParameters();
        p.setServerNames(sniOrNull == null ? List.of() : List.of(new SNIHostName(sniOrNull)));
        e.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize() * 2);
        e.beginHandshake();
        e.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /**
     * A real ClientHello whose server_name extension lists every one of {@code names} (RFC 6066 allows one
     * host_name; the JDK refuses to send more, so the list is rewritten and every length fixed up). With
     * {@code twoExtensions} the names go into two server_name extensions instead, one name each.
     */
    public static byte[] withServerNames(boolean twoExtensions, String... names) throws Exception {
        byte[] base = clientHello(names[0]);
        java.io.ByteArrayOutputStream ext = new java.io.ByteArrayOutputStream();
        if (twoExtensions) {
            for (String n : names) {
                ext.write(serverNameExtension(n));
            }
        } else {
            ext.write(serverNameExtension(names));
        }
        // Walk to the extensions of the single handshake record.
        int p = 5 + 4 + 2 + 32;
        p += 1 + (base[p] & 0xff);
        p += 2 + u16(base, p);
        p += 1 + (base[p] & 0xff);
        int extLenAt = p;
        int extEnd = p + 2 + u16(base, p);
        java.io.ByteArrayOutputStream exts = new java.io.ByteArrayOutputStream();
        for (int q = p + 2; q < extEnd; ) {
            int type = u16(base, q);
            int len = u16(base, q + 2);
            if (type == 0) {
                exts.write(ext.toByteArray());
            } else {
                exts.write(base, q, 4 + len);
            }
            q += 4 + len;
        }
        byte[] e = exts.toByteArray();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(base, 9, extLenAt - 9);
        body.write(e.length >> 8);
        body.write(e.length);
        body.write(e);
        byte[] b = body.toByteArray();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int hsLen = b.length;
        int recLen = hsLen + 4;
        out.write(new byte[] {22, base[1], base[2], (byte) (recLen >> 8), (byte) recLen, 1, (byte) (hsLen >> 16),
            (byte) (hsLen >> 8), (byte) hsLen});
        out.write(b);
        return out.toByteArray();
    }

    private static byte[] serverNameExtension(String... names) {
        java.io.ByteArrayOutputStream list = new java.io.ByteArrayOutputStream();
        for (String n : names) {
            byte[] nb = n.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            list.write(0);
            list.write(nb.length >> 8);
            list.write(nb.length);
            list.writeBytes(nb);
        }
        byte[] l = list.toByteArray();
        int dataLen = l.length + 2;
        java.io.ByteArrayOutputStream ext = new java.io.ByteArrayOutputStream();
        ext.writeBytes(new byte[] {0, 0, (byte) (dataLen >> 8), (byte) dataLen, (byte) (l.length >> 8), (byte) l.length});
        ext.writeBytes(l);
        return ext.toByteArray();
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
