package dev.rtfs.microvm.egresspolicy.net;

import java.util.List;
import java.util.Optional;

/**
 * The address classes the proxy denies by default (egress-policy/README.md). IPv6 outside global unicast (2000::/3) is denied too, and
 * every IPv6 form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) is denied as such, so a
 * literal or a DNS answer can never smuggle a private IPv4 target through an IPv6 spelling.
 */
public final class AddressClassifier {

    private record Range(Cidr cidr, String denyClass) {}

    private static final List<Range> RANGES = List.of(
            r("0.0.0.0/8", "this-network"),
            r("10.0.0.0/8", "private"),
            r("100.64.0.0/10", "cgnat"),
            r("127.0.0.0/8", "loopback"),
            r("169.254.169.254/32", "metadata"),
            r("169.254.0.0/16", "link-local"),
            r("172.16.0.0/12", "private"),
            r("192.0.0.0/24", "reserved"),
            r("192.0.2.0/24", "reserved"),
            r("192.88.99.0/24", "reserved"),
            r("192.168.0.0/16", "private"),
            r("198.18.0.0/15", "reserved"),
            r("198.51.100.0/24", "reserved"),
            r("203.0.113.0/24", "reserved"),
            r("224.0.0.0/4", "multicast"),
            r("240.0.0.0/4", "reserved"),
            r("::/128", "unspecified"),
            r("::1/128", "loopback"),
            r("::ffff:0:0/96", "ipv4-mapped"),
            r("::/96", "ipv4-compatible"),
            r("64:ff9b::/96", "nat64"),
            r("64:ff9b:1::/48", "nat64"),
            r("100::/64", "reserved"),
            r("2001::/32", "teredo"),
            r("2001::/23", "reserved"),
            r("2001:db8::/32", "reserved"),
            r("2002::/16", "6to4"),
            r("fc00::/7", "unique-local"),
            r("fe80::/10", "link-local"),
            r("fec0::/10", "site-local"),
            r("ff00::/8", "multicast"),
            r("fd00:ec2::254/128", "metadata"));

    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3").cidr();

    private AddressClassifier() {}

    /** The denied class of {@code address}, or empty for a public address. */
    public static Optional<String> deniedClass(IpAddress address) {
        for (Range range : RANGES) {
            if (range.cidr().contains(address)) {
                return Optional.of(range.denyClass());
            }
        }
        if (!address.isV4() && !GLOBAL_UNICAST_V6.contains(address)) {
            return Optional.of("reserved");
        }
        return Optional.empty();
    }

    private static Range r(String cidr, String denyClass) {
        Cidr.Result parsed = Cidr.parse(cidr);
        if (parsed.cidr() == null) {
            throw new IllegalStateException(cidr + ": " + parsed.error());
        }
        return new Range(parsed.cidr(), denyClass);
    }
}
