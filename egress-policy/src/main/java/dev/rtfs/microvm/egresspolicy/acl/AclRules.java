package dev.rtfs.microvm.egresspolicy.acl;

import dev.rtfs.microvm.egresspolicy.net.Cidr;
import dev.rtfs.microvm.egresspolicy.net.HostNormalizer;
import dev.rtfs.microvm.egresspolicy.net.IpAddress;
import dev.rtfs.microvm.egresspolicy.net.NormalizedHost;
import dev.rtfs.microvm.egresspolicy.net.RangeLimit;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one check of each {@link AgentAcl} rule, shared by its builder and by {@link AclCodec}: each returns the
 * normalized value (lowercase punycode domains, uppercase methods, canonical CIDRs, lists sorted and deduplicated)
 * or throws an {@link AclRuleException} naming the field as the document does.
 */
final class AclRules {

    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z0-9_-]{0,31}");
    static final int MAX_PORT = 65535;
    static final String PIN_PREFIX = "sha256/";

    private AclRules() {}

    static String agentId(String id) {
        if (!AGENT_ID.matcher(id).matches()) {
            throw new AclRuleException("agent_id", "agent id must match " + AGENT_ID.pattern());
        }
        return id;
    }

    static Optional<String> step(Optional<String> step) {
        step.ifPresent(s -> {
            if (s.isEmpty() || s.length() > 128 || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new AclRuleException("step", "must be 1..128 printable characters");
            }
        });
        return step;
    }

    static Optional<String> listen(Optional<String> hostPort) {
        return hostPort.map(AclRules::listen);
    }

    /** {@code host:port}, host a loopback literal or {@code localhost}; port 0 means "pick one". */
    static String listen(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new AclRuleException("listen", "\"" + s + "\" must be HOST:PORT");
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(port) > MAX_PORT) {
            throw new AclRuleException("listen", "\"" + port + "\" is not a port number 0..65535");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean loopback = bare.equals("localhost")
                || IpAddress.parseStrict(bare).map(ip -> ip.toInetAddress().isLoopbackAddress()).orElse(false);
        if (!loopback) {
            throw new AclRuleException("listen", "\"" + host + "\" must be a loopback address (the listener is host-only)");
        }
        if (bare.indexOf(':') >= 0 && !host.startsWith("[")) {
            throw new AclRuleException("listen", "write an IPv6 listen address in brackets: [" + bare + "]:" + port);
        }
        return host + ":" + Integer.parseInt(port);
    }

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** A step ACL has none of its own: the ServiceAccount identifies the agent, whatever step it is in. */
    static Optional<String> serviceAccount(Optional<String> step, Optional<String> sa) {
        Optional<String> out = sa.map(AclRules::serviceAccount);
        if (step.isPresent() && out.isPresent()) {
            throw new AclRuleException("service_account",
                    "the ServiceAccount identifies the agent, not a step; set it in the agent ACL");
        }
        return out;
    }

    /**
     * {@code NAMESPACE/NAME} of the Kubernetes ServiceAccount whose projected token proves the agent at a shared
     * listener; both parts DNS-1123 labels (lowercase, 1..63).
     */
    static String serviceAccount(String s) {
        int slash = s.indexOf('/');
        if (slash < 0 || slash != s.lastIndexOf('/')) {
            throw new AclRuleException("service_account", "\"" + s + "\" must be NAMESPACE/NAME");
        }
        String ns = s.substring(0, slash);
        String name = s.substring(slash + 1);
        for (String part : List.of(ns, name)) {
            if (!DNS_LABEL.matcher(part).matches()) {
                throw new AclRuleException("service_account", "\"" + part
                        + "\" is not a DNS-1123 label (lowercase letters, digits and '-', 1..63, alphanumeric at both ends)");
            }
        }
        return s;
    }

    static List<String> domains(List<String> patterns) {
        return sortedSet("allow_domains", patterns, AclRules::domainPattern);
    }

    /** {@code example.com} or {@code *.example.com}, lowercase punycode without a trailing dot. */
    static String domainPattern(String s) {
        boolean wildcard = s.startsWith("*.");
        String host = wildcard ? s.substring(2) : s;
        if (host.indexOf('*') >= 0) {
            throw new AclRuleException("allow_domains", "\"" + s + "\": a wildcard is only allowed as a leading \"*.\"");
        }
        return switch (HostNormalizer.normalize(host)) {
            case NormalizedHost.Name n -> {
                if (n.ascii().indexOf('.') < 0 && wildcard) {
                    throw new AclRuleException("allow_domains", "\"" + s + "\": a wildcard over a top-level domain is too broad");
                }
                yield wildcard ? "*." + n.ascii() : n.ascii();
            }
            case NormalizedHost.Literal l -> throw new AclRuleException("allow_domains", "\"" + s
                    + "\" is an IP literal; only host names can be allowed (allow_ranges widens where a name may resolve)");
            case NormalizedHost.Invalid i -> throw new AclRuleException("allow_domains", "\"" + s + "\": " + i.reason());
        };
    }

    /** Domain patterns of another field ({@code tls_passthrough}), checked like {@code allow_domains}. */
    static List<String> sortedDomains(String field, List<String> patterns) {
        return sortedSet(field, patterns, d -> {
            try {
                return domainPattern(d);
            } catch (AclRuleException e) {
                throw new AclRuleException(field, e.detail());
            }
        });
    }

    /** {@code tls_pins}: each key a domain pattern, each value 1..16 {@code sha256/BASE64} SPKI hashes. */
    static Map<String, List<String>> pins(Map<String, List<String>> pins) {
        return domainMap("tls_pins", pins, list -> {
            if (list.isEmpty() || list.size() > 16) {
                throw new AclRuleException("", "needs 1..16 pins");
            }
            return sortedSet("", list, AclRules::pin);
        });
    }

    /** {@code sha256/} and the base64 of 32 bytes (curl's --pinnedpubkey form). */
    static String pin(String s) {
        if (!s.startsWith(PIN_PREFIX)) {
            throw new AclRuleException("", "\"" + s + "\" must be sha256/BASE64 of the SPKI");
        }
        byte[] hash;
        try {
            hash = Base64.getDecoder().decode(s.substring(PIN_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new AclRuleException("", "\"" + s + "\" is not base64");
        }
        if (hash.length != 32) {
            throw new AclRuleException("", "\"" + s + "\" is " + hash.length + " bytes, a SHA-256 is 32");
        }
        return PIN_PREFIX + Base64.getEncoder().encodeToString(hash);
    }

    /** A map keyed by domain patterns (normalized, sorted), each value through {@code rule}. */
    static <V, R> Map<String, R> domainMap(String field, Map<String, V> map, Function<V, R> rule) {
        TreeMap<String, R> out = new TreeMap<>();
        for (Map.Entry<String, V> e : Objects.requireNonNull(map, field).entrySet()) {
            String where = field + "[\"" + e.getKey() + "\"]";
            String domain;
            try {
                domain = domainPattern(e.getKey());
            } catch (AclRuleException x) {
                throw new AclRuleException(where, x.detail());
            }
            R value;
            try {
                value = rule.apply(Objects.requireNonNull(e.getValue(), where));
            } catch (AclRuleException x) {
                String f = x.field();
                throw new AclRuleException(f.isEmpty() || f.startsWith("[") ? where + f : where + "." + f, x.detail());
            }
            if (out.put(domain, value) != null) {
                throw new AclRuleException(where, "\"" + domain + "\" is listed twice (after normalization)");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static final int MAX_INJECTED_PER_DOMAIN = 16;

    /**
     * {@code inject_headers}: each key a domain pattern, each value 1..16 headers with distinct names (case
     * insensitive); a step ACL has none of its own (it inherits the agent's).
     */
    static Map<String, List<InjectedHeader>> injectHeaders(Optional<String> step, Map<String, List<InjectedHeader>> map) {
        Map<String, List<InjectedHeader>> out = domainMap("inject_headers", map, list -> {
            if (list.isEmpty() || list.size() > MAX_INJECTED_PER_DOMAIN) {
                throw new AclRuleException("", "needs 1.." + MAX_INJECTED_PER_DOMAIN + " headers");
            }
            TreeSet<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i < list.size(); i++) {
                InjectedHeader h = Objects.requireNonNull(list.get(i), "inject_headers");
                if (!names.add(h.name())) {
                    throw new AclRuleException("[" + i + "].name", "header \"" + h.name() + "\" is injected twice");
                }
            }
            return List.copyOf(list);
        });
        if (step.isPresent() && !out.isEmpty()) {
            throw new AclRuleException("inject_headers",
                    "injected headers are per agent, not per step; set them in the agent ACL (a step inherits them)");
        }
        return out;
    }

    /** A host-side file the proxy reads: an absolute path of printable characters. */
    static String hostPath(String field, String path) {
        Objects.requireNonNull(path, field);
        if (path.isEmpty() || path.length() > 4096 || path.charAt(0) != '/'
                || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new AclRuleException(field, "\"" + path + "\" must be an absolute host path");
        }
        return path;
    }

    static List<String> methods(List<String> methods) {
        return sortedSet("allow_methods", methods, AclRules::method);
    }

    /** An HTTP method token, uppercase; CONNECT is a matter of ports. */
    static String method(String s) {
        String up = s.toUpperCase(Locale.ROOT);
        if (!METHOD.matcher(up).matches()) {
            throw new AclRuleException("allow_methods", "\"" + s + "\" is not an HTTP method token");
        }
        if (up.equals("CONNECT")) {
            throw new AclRuleException("allow_methods", "CONNECT is governed by connect_ports, not allow_methods");
        }
        return up;
    }

    static List<Integer> ports(List<Integer> ports) {
        return sortedSet("connect_ports", ports, p -> port(p.longValue()));
    }

    static int port(long port) {
        return (int) inRange("connect_ports", port, 1, MAX_PORT);
    }

    static List<String> ranges(List<String> ranges) {
        return sortedSet("allow_ranges", ranges, AclRules::range);
    }

    /** A CIDR (a bare address is a single host) no wider than {@link RangeLimit} allows, in canonical form. */
    static String range(String s) {
        Cidr.Result c = Cidr.parse(s);
        if (c.error() != null) {
            throw new AclRuleException("allow_ranges", "\"" + s + "\": " + c.error());
        }
        Optional<String> wide = RangeLimit.tooWide(c.cidr());
        if (wide.isPresent()) {
            throw new AclRuleException("allow_ranges", "\"" + s + "\": " + wide.get());
        }
        return c.cidr().toString();
    }

    static long bytes(String field, long bytes) {
        return inRange(field, bytes, 1, Long.MAX_VALUE);
    }

    static int maxConnections(long connections) {
        return (int) inRange("max_connections", connections, 1, AgentAcl.MAX_MAX_CONNECTIONS);
    }

    static double perSecond(double perSecond) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new AclRuleException("rate.per_second", "must be a positive number");
        }
        return perSecond;
    }

    static long burst(long burst) {
        return inRange("rate.burst", burst, 1, 1_000_000_000L);
    }

    static long inRange(String field, long v, long min, long max) {
        if (v < min || v > max) {
            throw new AclRuleException(field, v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    /** Each element through {@code rule}, sorted and deduplicated; a refusal names the element's index. */
    private static <T, R extends Comparable<R>> List<R> sortedSet(String field, List<T> values, Function<T, R> rule) {
        TreeSet<R> out = new TreeSet<>();
        for (int i = 0; i < values.size(); i++) {
            T v = Objects.requireNonNull(values.get(i), field);
            try {
                out.add(rule.apply(v));
            } catch (AclRuleException e) {
                throw new AclRuleException(field + "[" + i + "]", e.detail());
            }
        }
        return List.copyOf(out);
    }
}
