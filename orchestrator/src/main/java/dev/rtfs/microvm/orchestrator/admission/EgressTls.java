package dev.rtfs.microvm.orchestrator.admission;

import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.ClientCertFiles;
import dev.rtfs.microvm.agentconfig.model.CredentialRef;
import dev.rtfs.microvm.agentconfig.model.EgressTlsMode;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.egresspolicy.acl.ClientCert;
import dev.rtfs.microvm.egresspolicy.acl.TlsMode;
import dev.rtfs.microvm.egresspolicy.acl.TlsRules;
import dev.rtfs.microvm.egresspolicy.decision.DomainMatcher;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the proxy does with an agent's HTTPS ({@code :network :egress :tls} and its companions), as admission and
 * the step profiles carry it to the proxy's ACL ({@link #rules}).
 *
 * @param mode        tunnel (splice after the SNI check) or intercept (terminate, check every request, re-originate)
 * @param passthrough domains spliced even under intercept
 * @param pins        the config's {@code :tls_pins} that are real pins (placeholders dropped); they apply to every
 *                    allowed domain, the way the guest applies them to every HTTPS fetch
 * @param upstreamCa  the CA file verifying origins instead of the JDK's trust store
 * @param clientCerts domain to the host-side client certificate presented to it
 * @param credentials the headers the proxy injects, as references; the agent's ACL carries them as
 *                    {@code inject_headers} under interception (see docs/egress-acl.md)
 */
public record EgressTls(TlsMode mode, List<String> passthrough, List<String> pins, Optional<String> upstreamCa,
        Map<String, ClientCert> clientCerts, List<CredentialReference> credentials) {

    public static final EgressTls TUNNEL =
            new EgressTls(TlsMode.TUNNEL, List.of(), List.of(), Optional.empty(), Map.of(), List.of());

    private static final Pattern PIN = Pattern.compile("sha256/[A-Za-z0-9+/]{43}=");

    public EgressTls {
        Objects.requireNonNull(mode);
        passthrough = List.copyOf(passthrough);
        pins = List.copyOf(pins);
        Objects.requireNonNull(upstreamCa);
        clientCerts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clientCerts));
        credentials = List.copyOf(credentials);
    }

    /** The TLS settings of a validated config (no fields: {@link #TUNNEL}). */
    public static EgressTls from(AgentConfig config) {
        TlsMode mode = config.egressTlsMode() == EgressTlsMode.INTERCEPT ? TlsMode.INTERCEPT : TlsMode.TUNNEL;
        List<String> pins = config.egressTlsPins().orElse(List.of()).stream().filter(EgressTls::isPin).toList();
        Map<String, ClientCert> certs = new LinkedHashMap<>();
        for (ClientCertFiles c : config.egressClientCerts()) {
            if (c.cert().isPresent() && c.key().isPresent()) {
                certs.put(c.domain().value(), new ClientCert(c.cert().get().value(), c.key().get().value()));
            }
        }
        List<CredentialReference> credentials = config.egressCredentials().stream()
                .flatMap(c -> reference(c).stream()).toList();
        return new EgressTls(mode, config.egressTlsPassthrough().orElse(List.of()), pins, config.egressUpstreamCa(),
                certs, credentials);
    }

    private static Optional<CredentialReference> reference(CredentialRef c) {
        if (c.header().isEmpty() || c.inlineValue().isPresent()) return Optional.empty();
        Optional<CredentialReference.Source> source = c.env().map(Located::value)
                .<CredentialReference.Source>map(CredentialReference.Source.Env::new)
                .or(() -> c.file().map(Located::value).map(CredentialReference.Source.File::new));
        return source.map(s -> new CredentialReference(c.domain().value(), c.header().get().value(), s,
                c.prefix().map(Located::value).orElse("")));
    }

    private static boolean isPin(String pin) {
        return PIN.matcher(pin).matches() && Base64.getDecoder().decode(pin.substring("sha256/".length())).length == 32;
    }

    /**
     * The proxy's TLS rules for an ACL that allows {@code domains}: under intercept the mode, passthrough and client
     * certificates for domains among them, the pins for every one of them, the upstream CA; under tunnel the default.
     */
    public TlsRules rules(List<String> domains) {
        // Under tunnel the proxy speaks no TLS itself: pins and material would be inert, and the ACL stays the default.
        if (domains.isEmpty() || mode == TlsMode.TUNNEL) return TlsRules.TUNNEL.withMode(mode);
        Map<String, List<String>> pinned = new LinkedHashMap<>();
        if (!pins.isEmpty()) domains.forEach(d -> pinned.put(d, pins));
        DomainMatcher allowed = new DomainMatcher(domains);
        Map<String, ClientCert> certs = new LinkedHashMap<>();
        clientCerts.forEach((d, c) -> { if (allowed.matches(d)) certs.put(d, c); });
        List<String> through = passthrough.stream().filter(allowed::matches).toList();
        return new TlsRules(mode, through, pinned, upstreamCa, certs);
    }

    /** The credentials for an ACL that allows {@code domains} (the one wildcard rule, {@link DomainMatcher}). */
    public List<CredentialReference> credentialsFor(List<String> domains) {
        DomainMatcher allowed = new DomainMatcher(domains);
        return credentials.stream().filter(c -> allowed.matches(c.domain())).toList();
    }
}
