package dev.rtfs.microvm.egresspolicy.decision;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The policy verdict for one request. {@code pinned} is the single resolved address to dial (present whenever
 * the outcome lets the request through); {@code host} is the normalized target name; {@code detail} explains the
 * reason for logs.
 */
public record Decision(Outcome outcome, Reason reason, String host, Optional<InetAddress> pinned, String detail) {

    public Decision {
        Objects.requireNonNull(outcome);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(host);
        Objects.requireNonNull(pinned);
        Objects.requireNonNull(detail);
    }

    public static Decision deny(Reason reason, String host, String detail) {
        return new Decision(Outcome.DENY, reason, host, Optional.empty(), detail);
    }
}
