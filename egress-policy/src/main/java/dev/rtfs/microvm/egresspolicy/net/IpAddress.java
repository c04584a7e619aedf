package dev.rtfs.microvm.egresspolicy.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An IPv4 (4 bytes) or IPv6 (16 bytes) address as raw bytes. Unlike {@link InetAddress} it never folds an
 * IPv4-mapped IPv6 address into IPv4 and never triggers a name lookup, so classification sees exactly what
 * was written or resolved.
 */
public final class IpAddress {

    private final byte[] bytes;

    private IpAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    public static IpAddress of(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
        }
        return new IpAddress(bytes.clone());
    }

    public static IpAddress of(InetAddress address) {
        return new IpAddress(address.getAddress());
    }

    /** Strict textual forms only: dotted-quad IPv4 (decimal, no leading zeros) or RFC 4291 IPv6, no zone. */
    public static Optional<IpAddress> parseStrict(String text) {
        if (text.indexOf(':') >= 0) {
            return parseV6(text).map(IpAddress::new);
        }
        return parseDottedQuad(text).map(IpAddress::new);
    }

    public boolean isV4() {
        return bytes.length == 4;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    int unsignedByte(int i) {
        return bytes[i] & 0xff;
    }

    int length() {
        return bytes.length;
    }

    public InetAddress toInetAddress() {
        try {
            // getByAddress never resolves; for an IPv4-mapped IPv6 it returns the IPv4 address, which is the
            // address the kernel would dial anyway.
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (isV4()) {
            return unsignedByte(0) + "." + unsignedByte(1) + "." + unsignedByte(2) + "." + unsignedByte(3);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
        }
        return sb.toString();
    }

    static Optional<byte[]> parseDottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return Optional.empty();
            }
            for (int k = 0; k < p.length(); k++) {
                if (p.charAt(k) < '0' || p.charAt(k) > '9') {
                    return Optional.empty();
                }
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }

    static Optional<byte[]> parseV6(String text) {
        if (text.isEmpty() || text.indexOf('%') >= 0) {
            return Optional.empty();
        }
        byte[] tail4 = null;
        String s = text;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) >= 0) {
            Optional<byte[]> v4 = parseDottedQuad(s.substring(lastColon + 1));
            if (v4.isEmpty()) {
                return Optional.empty();
            }
            tail4 = v4.get();
            // Replace the dotted tail by two placeholder groups so the group logic stays uniform.
            s = s.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return Optional.empty();
        }
        String[] head;
        String[] rest;
        if (dbl >= 0) {
            String h = s.substring(0, dbl);
            String r = s.substring(dbl + 2);
            head = h.isEmpty() ? new String[0] : h.split(":", -1);
            rest = r.isEmpty() ? new String[0] : r.split(":", -1);
            if (head.length + rest.length > 7) {
                return Optional.empty();
            }
        } else {
            head = s.split(":", -1);
            rest = new String[0];
            if (head.length != 8) {
                return Optional.empty();
            }
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.length; i++) {
            Integer g = group(head[i]);
            if (g == null) {
                return Optional.empty();
            }
            groups[i] = g;
        }
        for (int i = 0; i < rest.length; i++) {
            Integer g = group(rest[i]);
            if (g == null) {
                return Optional.empty();
            }
            groups[8 - rest.length + i] = g;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (groups[i] >> 8);
            out[2 * i + 1] = (byte) groups[i];
        }
        if (tail4 != null) {
            System.arraycopy(tail4, 0, out, 12, 4);
        }
        return Optional.of(out);
    }

    private static Integer group(String g) {
        if (g.isEmpty() || g.length() > 4) {
            return null;
        }
        try {
            return HexFormat.fromHexDigits(g);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
