package dev.rtfs.microvm.egressproxy.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the SNI host names from the first TLS handshake message a client sends. Pure and bounded: the
 * ClientHello may span several records, but no more than {@link #MAX_HELLO} bytes are ever needed. Every
 * host_name entry is returned (RFC 6066 allows one, but a server may pick any of several), and a second
 * server_name extension is malformed TLS.
 */
public final class ClientHelloParser {

    public static final int MAX_HELLO = 32 * 1024;

    /** Parse outcome. */
    public sealed interface Result {}

    /** More bytes are needed. */
    public record NeedMore() implements Result {}

    /** Not a TLS handshake, or a malformed one. */
    public record NotTls(String why) implements Result {}

    /** A ClientHello without a server_name extension (or with an empty host_name). */
    public record NoSni() implements Result {}

    /** The host_name entries of the server_name extension, in order; never empty. */
    public record Sni(List<String> hostNames) implements Result {
        public Sni {
            hostNames = List.copyOf(hostNames);
            if (hostNames.isEmpty()) {
                throw new IllegalArgumentException("an Sni has at least one name");
            }
        }

        public Sni(String hostName) {
            this(List.of(hostName));
        }

        /** The first name (what most servers use). */
        public String hostName() {
            return hostNames.get(0);
        }
    }

    private ClientHelloParser() {}

    /** Parses {@code buf[0..len)} which holds the bytes received so far on the tunnel. */
    public static Result parse(byte[] buf, int len) {
        // Reassemble the handshake bytes from consecutive handshake records.
        byte[] hs = new byte[Math.min(len, MAX_HELLO)];
        int hsLen = 0;
        int pos = 0;
        int needed = -1;
        while (true) {
            if (needed >= 0 && hsLen >= needed) {
                break;
            }
            if (pos + 5 > len) {
                return pos >= MAX_HELLO ? new NotTls("ClientHello too large") : new NeedMore();
            }
            int type = buf[pos] & 0xff;
            int major = buf[pos + 1] & 0xff;
            int recLen = ((buf[pos + 3] & 0xff) << 8) | (buf[pos + 4] & 0xff);
            if (type != 22) {
                return new NotTls("first record is not a handshake (type " + type + ")");
            }
            if (major != 3) {
                return new NotTls("not a TLS record version");
            }
            if (recLen == 0 || recLen > 16384 + 2048) {
                return new NotTls("bad record length " + recLen);
            }
            if (pos + 5 + recLen > len) {
                return pos + 5 + recLen > MAX_HELLO ? new NotTls("ClientHello too large") : new NeedMore();
            }
            if (hsLen + recLen > hs.length) {
                return new NotTls("ClientHello too large");
            }
            System.arraycopy(buf, pos + 5, hs, hsLen, recLen);
            hsLen += recLen;
            pos += 5 + recLen;
            if (needed < 0 && hsLen >= 4) {
                if ((hs[0] & 0xff) != 1) {
                    return new NotTls("first handshake message is not a ClientHello");
                }
                int bodyLen = ((hs[1] & 0xff) << 16) | ((hs[2] & 0xff) << 8) | (hs[3] & 0xff);
                if (bodyLen + 4 > MAX_HELLO) {
                    return new NotTls("ClientHello too large");
                }
                needed = bodyLen + 4;
            }
        }
        return parseHello(hs, 4, needed);
    }

    private static Result parseHello(byte[] b, int start, int end) {
        try {
            int p = start;
            p += 2 + 32; // legacy_version, random
            p = skipVector(b, p, 1, end); // session id
            p = skipVector(b, p, 2, end); // cipher suites
            p = skipVector(b, p, 1, end); // compression methods
            if (p == end) {
                return new NoSni();
            }
            int extEnd = p + 2 + u16(b, p, end);
            if (extEnd > end) {
                return new NotTls("extensions overrun the ClientHello");
            }
            p += 2;
            Result sni = null;
            while (p + 4 <= extEnd) {
                int type = u16(b, p, extEnd);
                int len = u16(b, p + 2, extEnd);
                int body = p + 4;
                if (body + len > extEnd) {
                    return new NotTls("extension overruns the ClientHello");
                }
                if (type == 0) {
                    // A server may read either copy; the proxy would check only one.
                    if (sni != null) {
                        return new NotTls("two server_name extensions");
                    }
                    sni = serverName(b, body, body + len);
                }
                p = body + len;
            }
            return sni != null ? sni : new NoSni();
        } catch (IndexOutOfBoundsException e) {
            return new NotTls("truncated ClientHello");
        }
    }

    private static Result serverName(byte[] b, int p, int end) {
        int listEnd = p + 2 + u16(b, p, end);
        if (listEnd > end) {
            return new NotTls("server_name list overruns its extension");
        }
        p += 2;
        List<String> names = new ArrayList<>();
        while (p + 3 <= listEnd) {
            int nameType = b[p] & 0xff;
            int len = u16(b, p + 1, listEnd);
            int body = p + 3;
            if (body + len > listEnd) {
                return new NotTls("server name overruns its list");
            }
            if (nameType == 0) {
                // An empty entry is kept: beside other names it must not count as "no SNI".
                names.add(new String(b, body, len, StandardCharsets.ISO_8859_1));
            }
            p = body + len;
        }
        if (names.isEmpty() || (names.size() == 1 && names.get(0).isEmpty())) {
            return new NoSni();
        }
        return new Sni(names);
    }

    private static int skipVector(byte[] b, int p, int lenBytes, int end) {
        int len = lenBytes == 1 ? b[checked(p, end)] & 0xff : u16(b, p, end);
        int next = p + lenBytes + len;
        if (next > end) {
            throw new IndexOutOfBoundsException();
        }
        return next;
    }

    private static int u16(byte[] b, int p, int end) {
        checked(p + 1, end);
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    private static int checked(int p, int end) {
        if (p >= end) {
            throw new IndexOutOfBoundsException();
        }
        return p;
    }
}
