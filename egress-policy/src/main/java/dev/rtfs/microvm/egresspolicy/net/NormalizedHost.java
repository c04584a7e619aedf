package dev.rtfs.microvm.egresspolicy.net;

/** What a host string from a request or an ACL turned out to be after normalization. */
public sealed interface NormalizedHost {

    /** A DNS name in lowercase ASCII (punycode), without trailing dot. */
    record Name(String ascii) implements NormalizedHost {}

    /**
     * An IP literal in any notation (dotted, decimal, hex, octal, short form, IPv6, IPv4-mapped). The address is
     * empty when the notation looked numeric but did not parse (still an IP literal for policy purposes).
     */
    record Literal(String text, java.util.Optional<IpAddress> address) implements NormalizedHost {}

    /** Not a usable host name; {@code reason} says why. */
    record Invalid(String text, String reason) implements NormalizedHost {}
}
