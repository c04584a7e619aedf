package dev.rtfs.microvm.egresspolicy.secret;

import dev.rtfs.microvm.egresspolicy.acl.AgentAcl;
import dev.rtfs.microvm.egresspolicy.acl.InjectedHeader;
import dev.rtfs.microvm.egresspolicy.decision.DomainMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The secrets one agent's proxy holds (docs/egress-acl.md, "Injected headers"): for each {@code inject_headers}
 * domain pattern the headers to add, values resolved on the host when the ACL is put. Held in memory only; the
 * values also feed the DLP's {@code held-secret} rule, so a guest request that carries one is refused.
 *
 * @param references the {@code inject_headers} these were resolved from (what {@code GET /agents} shows)
 * @param byDomain   domain pattern to the headers, value = prefix + secret
 * @param values     every secret value, for the DLP (without prefixes)
 */
public record HeldSecrets(Map<String, List<InjectedHeader>> references, Map<String, List<Header>> byDomain,
        List<Secret> values) {

    /** Shorter secrets would match honest text by chance: the held-secret rule needs this many characters. */
    public static final int MIN_SECRET_CHARS = 8;
    /** A credential, not a document: bounded like a header value. */
    public static final int MAX_SECRET_BYTES = 8192;

    public static final HeldSecrets NONE = new HeldSecrets(Map.of(), Map.of(), List.of());

    /** One header to inject: {@code name: prefix + secret}. {@link #toString()} shows no value. */
    public record Header(String name, String prefix, Secret secret) {
        public String value() {
            return prefix + secret.reveal();
        }

        @Override
        public String toString() {
            return name + ": " + prefix + secret;
        }
    }

    public HeldSecrets {
        references = Map.copyOf(references);
        byDomain = Map.copyOf(byDomain);
        values = List.copyOf(values);
    }

    /**
     * Resolves every reference of {@code acl.injectHeaders()} through {@code resolver}; the first that cannot be held
     * refuses the whole ACL ({@link SecretUnavailableException} naming the field and the reference).
     */
    public static HeldSecrets resolve(AgentAcl acl, SecretResolver resolver) {
        if (acl.injectHeaders().isEmpty()) {
            return NONE;
        }
        Map<String, List<Header>> byDomain = new TreeMap<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        List<Secret> values = new ArrayList<>();
        acl.injectHeaders().forEach((domain, headers) -> {
            List<Header> resolved = new ArrayList<>(headers.size());
            for (int i = 0; i < headers.size(); i++) {
                InjectedHeader h = headers.get(i);
                String where = "inject_headers[\"" + domain + "\"][" + i + "] (" + h.source().describe() + ")";
                String value = switch (resolver.resolve(h.source())) {
                    case SecretLookup.Found f -> check(where, f.value());
                    case SecretLookup.Missing m -> throw new SecretUnavailableException(
                            "agent " + acl.agentId() + ": " + where + ": " + m.why());
                };
                Secret s = Secret.of(value);
                resolved.add(new Header(h.name(), h.prefix(), s));
                if (seen.add(value)) {
                    values.add(s);
                }
            }
            byDomain.put(domain, List.copyOf(resolved));
        });
        return new HeldSecrets(acl.injectHeaders(), byDomain, values);
    }

    /** Trailing line breaks trimmed; then 8..8192 characters, no other control character than a tab. */
    static String check(String where, String raw) {
        String v = raw;
        while (!v.isEmpty() && (v.endsWith("\n") || v.endsWith("\r"))) {
            v = v.substring(0, v.length() - 1);
        }
        if (v.isEmpty()) {
            throw new SecretUnavailableException(where + ": is empty");
        }
        if (v.length() > MAX_SECRET_BYTES) {
            throw new SecretUnavailableException(where + ": is longer than " + MAX_SECRET_BYTES + " characters");
        }
        if (v.length() < MIN_SECRET_CHARS) {
            throw new SecretUnavailableException(where + ": is shorter than " + MIN_SECRET_CHARS
                    + " characters, too short to recognise when a guest sends it back out");
        }
        if (v.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            throw new SecretUnavailableException(where + ": contains a line break or control character");
        }
        return v;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The headers to inject into a request to {@code host} (normalized): an exact pattern's, else the longest
     * matching {@code *.suffix} pattern's (the allowlist's wildcard rule: a subdomain, not the name itself); empty when none matches. Patterns are not merged: one domain, one list.
     */
    public List<Header> forHost(String host) {
        return DomainMatcher.mostSpecific(byDomain, host).orElse(List.of());
    }

    /** The raw values, for the DLP's held-secret rule. */
    public List<String> revealAll() {
        if (values.isEmpty()) {
            return List.of();
        }
        return values.stream().map(Secret::reveal).toList();
    }

    @Override
    public String toString() {
        return "HeldSecrets" + references;
    }
}
