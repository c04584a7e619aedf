package dev.rtfs.microvm.egresspolicy.acl;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One header the proxy adds to intercepted requests for a domain ({@code inject_headers}): {@code name: prefix +
 * secret}, the secret read from {@code source} on the host. A guest-supplied header of the same name is replaced.
 *
 * @param name   an HTTP header token; not one that frames or routes the request (Host, Content-Length,
 *               Transfer-Encoding, Connection, Proxy-*)
 * @param source where the secret is read
 * @param prefix text before the secret ({@code "Bearer "}), empty for none; no control characters
 */
public record InjectedHeader(String name, SecretRef source, String prefix) {

    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /** Headers that frame, route or hop the request: injecting one would change what the guest's request is. */
    private static final Set<String> FORBIDDEN = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "te", "trailer", "upgrade", "expect");
    static final int MAX_PREFIX = 256;

    public InjectedHeader {
        if (name == null || !TOKEN.matcher(name).matches()) {
            throw new AclRuleException("name", "\"" + name + "\" is not an HTTP header name (1..64 token characters)");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (FORBIDDEN.contains(lower) || lower.startsWith("proxy-")) {
            throw new AclRuleException("name", "\"" + name + "\" frames or routes the request; it cannot be injected");
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length() > MAX_PREFIX || prefix.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            throw new AclRuleException("prefix", "must be at most " + MAX_PREFIX + " characters without control characters");
        }
    }

    public InjectedHeader(String name, SecretRef source) {
        this(name, source, "");
    }
}
