package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code :network.egress.client_cert {"api.example.com" {:cert "/abs.pem" :key "/abs.key"}}}: host-side
 * paths of the client certificate the proxy presents to that domain (mTLS). Paths only; the files never reach the guest.
 *
 * @param domain the domain as written, located at its key
 */
public record ClientCertFiles(Located<String> domain, Optional<Located<String>> cert, Optional<Located<String>> key,
        Span span) {
    public ClientCertFiles {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(cert);
        Objects.requireNonNull(key);
        Objects.requireNonNull(span);
    }
}
