package dev.rtfs.microvm.egresspolicy.net;

import java.util.List;
import java.util.Optional;

/**
 * How wide an {@code allow_ranges} entry may be. An allowed range re-opens denied address classes for an agent's
 * names, so it must describe where a deployment's names point, not "everything": at most a /8 of IPv4 and a /32 of
 * IPv6. The IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, Teredo) count by the IPv4 they
 * embed: {@code ::ffff:0:0/96} is all of IPv4 and is refused like {@code 0.0.0.0/0}. (6to4 embeds its IPv4 at
 * bits 16..48, so any 6to4 range allowed by the /32 bound already fixes its first IPv4 octet.)
 */
public final class RangeLimit {

    public static final int WIDEST_V4 = 8;
    public static final int WIDEST_V6 = 32;

    /** An IPv6 prefix with an IPv4 address at bit {@code v4At} of the address. */
    private record Embedding(Cidr prefix, int v4At, String name) {}

    private static final List<Embedding> EMBEDDINGS = List.of(
            embedding("::ffff:0:0/96", 96, "IPv4-mapped"),
            embedding("::/96", 96, "IPv4-compatible"),
            embedding("64:ff9b::/96", 96, "NAT64"),
            embedding("64:ff9b:1::/48", 48, "NAT64 local-use"),
            embedding("2001::/32", 96, "Teredo"));

    private RangeLimit() {}

    /** Why {@code range} is too wide to allow, or empty when it is narrow enough. */
    public static Optional<String> tooWide(Cidr range) {
        if (range.network().isV4()) {
            return range.prefix() < WIDEST_V4
                    ? Optional.of("wider than /" + WIDEST_V4 + " (allow_ranges opens at most a /8 of IPv4)")
                    : Optional.empty();
        }
        if (range.prefix() < WIDEST_V6) {
            return Optional.of("wider than /" + WIDEST_V6 + " (allow_ranges opens at most a /32 of IPv6)");
        }
        for (Embedding e : EMBEDDINGS) {
            boolean inside = e.prefix().contains(range.network()) && range.prefix() >= e.prefix().prefix();
            boolean covers = range.contains(e.prefix().network()) && range.prefix() <= e.prefix().prefix();
            if (covers || (inside && range.prefix() < e.v4At() + WIDEST_V4)) {
                return Optional.of("covers more than a /" + WIDEST_V4 + " of the IPv4 addresses embedded in "
                        + e.name() + " " + e.prefix() + " (needs /" + (e.v4At() + WIDEST_V4) + " or longer)");
            }
        }
        return Optional.empty();
    }

    private static Embedding embedding(String cidr, int v4At, String name) {
        return new Embedding(Cidr.parse(cidr).cidr(), v4At, name);
    }
}
