package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.model.AgentConfig;
import dev.rtfs.microvm.agentconfig.model.ClientCertFiles;
import dev.rtfs.microvm.agentconfig.model.CredentialRef;
import dev.rtfs.microvm.agentconfig.model.DlpPolicy;
import dev.rtfs.microvm.agentconfig.model.Egress;
import dev.rtfs.microvm.agentconfig.model.EgressTlsMode;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The TLS egress rules of {@code :network :egress} (spec 19, "TLS egress"): interception mode, passthrough and its
 * waivers, host-side mTLS material and credential references. Secrets are referenced, never written: no message
 * here ever quotes an inline credential.
 */
final class TlsEgressPolicy {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    // Framing and routing headers: injecting one would change what the request is, not who sends it.
    private static final Set<String> RESERVED_HEADERS =
            Set.of("host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer");

    private final AgentConfig c;
    private final Egress egress;
    private final ConfigPaths paths;
    private final List<Diagnostic> out;
    private final List<String> allowDomains;

    private TlsEgressPolicy(AgentConfig c, Egress egress, ConfigPaths paths, List<Diagnostic> out) {
        this.c = c;
        this.egress = egress;
        this.paths = paths;
        this.out = out;
        this.allowDomains = c.egressAllowDomains().orElse(List.of());
    }

    static void check(AgentConfig config, ConfigPaths paths, List<Diagnostic> out) {
        config.egress().ifPresent(e -> new TlsEgressPolicy(config, e, paths, out).run());
    }

    private void run() {
        boolean intercept = egress.tlsMode() == EgressTlsMode.INTERCEPT;
        // As the proxy enforces it (AgentPolicy): DLP unwritten is strict.
        boolean strictDlp = c.dlpEnabled().orElse(true) && c.dlpPolicy().orElse(DlpPolicy.STRICT) == DlpPolicy.STRICT;
        egress.tls().filter(t -> t.value() == EgressTlsMode.TUNNEL && strictDlp).ifPresent(t ->
                warning(ConfigCode.EGRESS_TUNNEL_DLP_BLIND, "network.egress.tls",
                        "HTTPS is tunnelled: strict DLP and the method rules see plain HTTP only, not what goes inside TLS",
                        "set :tls :intercept so the proxy checks every HTTPS request too", t.span()));
        passthrough(intercept, strictDlp);
        mtls(intercept);
        egress.upstreamCa().ifPresent(ca -> hostPath(ca, "network.egress.upstream_ca", "the upstream CA file"));
        credentials(intercept);
    }

    private void passthrough(boolean intercept, boolean strictDlp) {
        Set<String> waived = new HashSet<>(c.egressTlsPassthroughWaiver().orElse(List.of()));
        Set<String> written = new HashSet<>();
        egress.tlsPassthrough().ifPresent(list -> {
            for (Located<String> d : list.value()) {
                written.add(d.value());
                if (!domainAllowed(d, "network.egress.tls_passthrough", ConfigCode.EGRESS_PASSTHROUGH_NOT_ALLOWED,
                        "a passthrough domain")) continue;
                if (!intercept) continue; // under :tunnel every tunnel is spliced anyway
                if (strictDlp && !waived.contains(d.value())) {
                    error(ConfigCode.EGRESS_PASSTHROUGH_STRICT, "network.egress.tls_passthrough",
                            "passthrough domain \"" + abbreviate(d.value()) + "\" is DLP-blind, but DLP is :strict",
                            "intercept it (remove it from :tls_passthrough), or waive strict DLP for it explicitly:"
                                    + " :tls_passthrough_waiver [\"" + abbreviate(d.value()) + "\"]", d.span());
                } else {
                    warning(ConfigCode.EGRESS_PASSTHROUGH_DLP_BLIND, "network.egress.tls_passthrough",
                            "passthrough domain \"" + abbreviate(d.value()) + "\" is spliced: SNI and host checks only,"
                                    + " DLP and method rules are blind there",
                            "pass through only clients that pin their own certificates", d.span());
                }
            }
        });
        egress.tlsPassthroughWaiver().ifPresent(list -> {
            for (Located<String> w : list.value()) {
                if (written.contains(w.value())) continue;
                error(ConfigCode.EGRESS_WAIVER_NOT_PASSTHROUGH, "network.egress.tls_passthrough_waiver",
                        "waiver for \"" + abbreviate(w.value()) + "\", which is not in :tls_passthrough",
                        "remove it, or add the domain to :tls_passthrough as well", w.span());
            }
        });
    }

    private void mtls(boolean intercept) {
        List<ClientCertFiles> certs = c.egressClientCerts();
        // Under :tunnel the guest's own TLS client does any mTLS; the proxy presents certificates only when it intercepts.
        egress.mtls().filter(m -> m.value() && intercept && certs.isEmpty()).ifPresent(m ->
                error(ConfigCode.EGRESS_MTLS_MATERIAL, "network.egress.mtls",
                        ":mtls true under :tls :intercept, but no :client_cert names the certificate the proxy presents",
                        "add :client_cert {\"api.example.com\" {:cert \"/etc/rtfs/client.pem\" :key \"/etc/rtfs/client.key\"}}",
                        m.span()));
        for (ClientCertFiles cert : certs) {
            domainAllowed(cert.domain(), "network.egress.client_cert", ConfigCode.EGRESS_TLS_DOMAIN_NOT_ALLOWED,
                    "a client certificate's domain");
            String at = "network.egress.client_cert.\"" + cert.domain().value() + "\"";
            cert.cert().ifPresent(p -> hostPath(p, at + ".cert", "the client certificate"));
            cert.key().ifPresent(p -> hostPath(p, at + ".key", "the client key"));
        }
    }

    private void credentials(boolean intercept) {
        egress.credentials().filter(l -> !l.value().isEmpty() && !intercept).ifPresent(l ->
                error(ConfigCode.EGRESS_CREDENTIAL_NEEDS_INTERCEPT, "network.egress.credentials",
                        "credentials are injected by the proxy into decrypted requests, but HTTPS is tunnelled",
                        "set :tls :intercept", l.keySpan()));
        Set<String> seen = new HashSet<>();
        for (CredentialRef ref : c.egressCredentials()) {
            String at = "network.egress.credentials.\"" + ref.domain().value() + "\"";
            if (seen.add(ref.domain().value())) {
                domainAllowed(ref.domain(), "network.egress.credentials", ConfigCode.EGRESS_TLS_DOMAIN_NOT_ALLOWED,
                        "a credential's domain");
            }
            if (ref.inlineValue().isPresent()) {
                // Never quote it: the diagnostic goes to terminals, CI logs and SARIF files.
                error(ConfigCode.EGRESS_CREDENTIAL_INLINE, at + ".value",
                        "a credential's value is written in the config; secrets are never part of the config",
                        "remove :value and reference it: :env \"API_TOKEN\" or :file \"/run/secrets/api-token\"",
                        ref.inlineValue().get());
                continue;
            }
            ref.header().ifPresent(h -> header(h, ref, at, seen));
            ref.prefix().filter(p -> p.value().chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)).ifPresent(p ->
                    error(ConfigCode.EGRESS_CREDENTIAL_HEADER, at + ".prefix",
                            "the header prefix contains a control character (CR/LF would split the header)",
                            "use printable text, e.g. \"Bearer \"", p.span()));
            source(ref, at);
        }
    }

    private void header(Located<String> h, CredentialRef ref, String at, Set<String> seen) {
        String name = h.value();
        if (!TOKEN.matcher(name).matches() || RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            error(ConfigCode.EGRESS_CREDENTIAL_HEADER, at + ".header",
                    TOKEN.matcher(name).matches() ? "header " + name + " frames or routes the request; it cannot carry a credential"
                            : "header \"" + abbreviate(name) + "\" is not an HTTP header name",
                    "use a header such as \"Authorization\" or \"X-Api-Key\"", h.span());
        } else if (!seen.add(ref.domain().value() + "\n" + name.toLowerCase(Locale.ROOT))) {
            error(ConfigCode.EGRESS_CREDENTIAL_HEADER, at + ".header",
                    "header " + name + " is injected twice for \"" + abbreviate(ref.domain().value()) + "\"",
                    "keep one entry per header and domain", h.span());
        }
    }

    private void source(CredentialRef ref, String at) {
        if (ref.env().isPresent() == ref.file().isPresent()) {
            error(ConfigCode.EGRESS_CREDENTIAL_SOURCE, at,
                    ref.env().isPresent() ? "a credential names both :env and :file" : "a credential names neither :env nor :file",
                    "give exactly one: :env \"API_TOKEN\" (the proxy's environment) or :file \"/run/secrets/api-token\"",
                    ref.span());
            return;
        }
        ref.env().filter(e -> !ENV_NAME.matcher(e.value()).matches()).ifPresent(e ->
                error(ConfigCode.EGRESS_CREDENTIAL_SOURCE, at + ".env",
                        "\"" + abbreviate(e.value()) + "\" is not an environment variable name",
                        "use letters, digits and '_', not starting with a digit, e.g. \"API_TOKEN\"", e.span()));
        ref.file().ifPresent(f -> hostPath(f, at + ".file", "the secret file"));
    }

    /** Valid and inside {@code :allow-domains}; reports and returns false otherwise. */
    private boolean domainAllowed(Located<String> d, String path, ConfigCode notAllowed, String what) {
        Optional<String> problem = EgressRules.domainProblem(d.value());
        if (problem.isPresent()) {
            error(ConfigCode.EGRESS_DOMAIN_INVALID, path, what + " \"" + abbreviate(d.value()) + "\": " + problem.get(),
                    EgressRules.domainFix(d.value()).map(f -> "write \"" + f + "\"")
                            .orElse("use a lowercase hostname such as \"api.example.com\""), d.span());
            return false;
        }
        if (!EgressRules.covered(allowDomains, d.value())) {
            error(notAllowed, path, what + " \"" + abbreviate(d.value()) + "\" is not in :allow-domains",
                    "add it to :network :egress :allow-domains, or remove it here", d.span());
            return false;
        }
        return true;
    }

    private void hostPath(Located<String> p, String path, String what) {
        if (EgressRules.isHostPath(p.value())) return;
        error(ConfigCode.EGRESS_HOST_PATH, path, what + " \"" + abbreviate(p.value()) + "\" is not an absolute host path",
                "name the file on the host by its absolute path, e.g. \"/etc/rtfs/tls/client.pem\"", p.span());
    }

    private static String abbreviate(String s) {
        return SchemaWalker.abbreviate(s);
    }

    private void error(ConfigCode code, String canonicalPath, String message, String suggestion, Span at) {
        out.add(Diagnostic.error(code, paths.written(canonicalPath), message, suggestion, at));
    }

    private void warning(ConfigCode code, String canonicalPath, String message, String suggestion, Span at) {
        out.add(Diagnostic.warning(code, paths.written(canonicalPath), message, suggestion, at));
    }
}
