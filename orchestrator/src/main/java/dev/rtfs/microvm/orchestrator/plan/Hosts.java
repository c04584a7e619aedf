package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Host names as the proxy will see them (its {@link HostNormalizer}: lowercase, one trailing dot removed,
 * IDNA to punycode). Used for declared {@code :domains} and for the host of a literal URL.
 */
public final class Hosts {

    private Hosts() {}

    /**
     * A normalized hostname (the proxy's own normalization), or empty when {@code raw} is not a host. IP
     * literals come back as written (lowercase) so that admission refuses them as domains outside the
     * allowlist, which never holds IP literals.
     */
    public static Optional<String> normalizeHost(String raw) {
        return switch (HostNormalizer.normalize(raw)) {
            case NormalizedHost.Name n -> Optional.of(n.ascii());
            case NormalizedHost.Literal l -> Optional.of(l.text().toLowerCase(Locale.ROOT));
            case NormalizedHost.Invalid i -> Optional.empty();
        };
    }

    /** A hostname or a {@code *.hostname} pattern, normalized; empty when neither. */
    public static Optional<String> normalizePattern(String raw) {
        if (raw.startsWith("*.")) return normalizeHost(raw.substring(2)).map(h -> "*." + h);
        return normalizeHost(raw);
    }

    /** The network target of a literal http(s) URL. */
    public record UrlTarget(String scheme, String host, Optional<Integer> explicitPort) {}

    /** Why a literal URL gives no target, or the target. Exactly one side is present. */
    public record UrlParse(Optional<UrlTarget> target, String problem) {}

    /**
     * Parses an http/https URL strictly: no userinfo (the {@code https://good.com@evil.com} trick), a
     * hostname (not empty), a port in range. Never throws.
     */
    public static UrlParse parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return fail("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return fail("only http and https URLs can be inferred");
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return fail("URL carries userinfo ('…@host'), which hides the real host");
        }
        String host = uri.getHost();
        int port = uri.getPort();
        if (host == null && uri.getRawAuthority() != null) {
            // java.net.URI leaves non-ASCII (IDN) hosts as a registry authority: split off the port ourselves.
            String authority = uri.getRawAuthority();
            int colon = authority.lastIndexOf(':');
            if (colon > 0 && authority.substring(colon + 1).matches("[0-9]{1,5}")) {
                port = Integer.parseInt(authority.substring(colon + 1));
                authority = authority.substring(0, colon);
            }
            host = authority;
        }
        if (host == null || host.isEmpty()) return fail("URL has no host name");
        Optional<String> normalized = normalizeHost(host);
        if (normalized.isEmpty()) return fail("URL host '" + host + "' is not a host name");
        if (port == 0 || port > 65535) return fail("URL port out of range");
        return new UrlParse(Optional.of(new UrlTarget(scheme, normalized.get(),
                port < 0 ? Optional.empty() : Optional.of(port))), "");
    }

    private static UrlParse fail(String problem) {
        return new UrlParse(Optional.empty(), problem);
    }
}
