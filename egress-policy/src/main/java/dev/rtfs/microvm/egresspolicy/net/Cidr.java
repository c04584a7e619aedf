package dev.rtfs.microvm.egresspolicy.net;

import java.util.Optional;

/** An address range: network address and prefix length. Host bits of the network must be zero. */
public record Cidr(IpAddress network, int prefix) {

    public Cidr {
        int max = network.isV4() ? 32 : 128;
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix /" + prefix + " out of range 0.." + max);
        }
    }

    /**
     * Parses {@code a.b.c.d/n} or {@code v6/n}; a bare address means a single host. Returns an error message
     * on failure, so callers can attach their own position.
     */
    public static Result parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        Optional<IpAddress> ip = IpAddress.parseStrict(addr);
        if (ip.isEmpty()) {
            return new Result(null, "'" + addr + "' is not an IPv4 dotted quad or IPv6 address");
        }
        int max = ip.get().isV4() ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return new Result(null, "prefix length '" + p + "' is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                return new Result(null, "prefix /" + prefix + " is longer than " + max);
            }
        }
        Cidr cidr = new Cidr(ip.get(), prefix);
        if (!cidr.hostBitsZero()) {
            return new Result(null, "host bits are set; did you mean " + cidr.canonical() + "?");
        }
        return new Result(cidr, null);
    }

    /** Parse outcome: exactly one of cidr and error is non-null. */
    public record Result(Cidr cidr, String error) {}

    public boolean contains(IpAddress address) {
        if (address.isV4() != network.isV4()) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address.unsignedByte(i) != network.unsignedByte(i)) {
                return false;
            }
        }
        int rem = prefix % 8;
        if (rem == 0) {
            return true;
        }
        int mask = (0xff << (8 - rem)) & 0xff;
        return (address.unsignedByte(full) & mask) == (network.unsignedByte(full) & mask);
    }

    private boolean hostBitsZero() {
        byte[] b = network.bytes();
        for (int bit = prefix; bit < b.length * 8; bit++) {
            if ((b[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                return false;
            }
        }
        return true;
    }

    private Cidr masked() {
        byte[] b = network.bytes();
        for (int bit = prefix; bit < b.length * 8; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return new Cidr(IpAddress.of(b), prefix);
    }

    private String canonical() {
        return masked().toString();
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
