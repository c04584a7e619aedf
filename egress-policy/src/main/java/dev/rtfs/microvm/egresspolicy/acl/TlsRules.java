package dev.rtfs.microvm.egresspolicy.acl;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent's TLS rules (docs/egress-acl.md): interception or tunnel, the domains always spliced, the origins' SPKI
 * pins, the CA that verifies origins instead of the JDK's trust store, and per-domain client certificates. Pins,
 * the CA and client certificates act where the proxy itself speaks TLS to the origin (intercepted tunnels); a spliced
 * tunnel is the guest's own TLS. Valid and normalized by construction ({@link AclRules}).
 *
 * @param mode        {@code tls}: tunnel (the default) or intercept
 * @param passthrough {@code tls_passthrough}: domain patterns spliced even under intercept (SNI check only)
 * @param pins        {@code tls_pins}: domain pattern to {@code sha256/BASE64} SPKI pins of the origin's leaf
 * @param upstreamCa  {@code upstream_ca}: PEM file of the CA(s) that verify origins; empty: the JDK's trust store
 * @param clientCerts {@code client_cert}: domain pattern to the client certificate presented to it
 */
public record TlsRules(TlsMode mode, List<String> passthrough, Map<String, List<String>> pins,
        Optional<String> upstreamCa, Map<String, ClientCert> clientCerts) {

    public static final TlsRules TUNNEL = new TlsRules(TlsMode.TUNNEL, List.of(), Map.of(), Optional.empty(), Map.of());

    public TlsRules {
        Objects.requireNonNull(mode);
        passthrough = AclRules.sortedDomains("tls_passthrough", passthrough);
        pins = AclRules.pins(pins);
        upstreamCa = Objects.requireNonNull(upstreamCa).map(p -> AclRules.hostPath("upstream_ca", p));
        clientCerts = AclRules.domainMap("client_cert", clientCerts, c -> Objects.requireNonNull(c));
    }

    public TlsRules withMode(TlsMode m) {
        return new TlsRules(m, passthrough, pins, upstreamCa, clientCerts);
    }
}
