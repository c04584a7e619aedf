package dev.rtfs.microvm.egresspolicy.decision;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code example.com} matches exactly; {@code *.example.com} matches any subdomain but not {@code example.com}. */
public final class DomainMatcher {

    private final Set<String> exact = new HashSet<>();
    private final List<String> suffixes;

    public DomainMatcher(List<String> normalizedPatterns) {
        List<String> sfx = new java.util.ArrayList<>();
        for (String p : normalizedPatterns) {
            if (p.startsWith("*.")) {
                sfx.add(p.substring(1)); // keep the dot: ".example.com"
            } else {
                exact.add(p);
            }
        }
        suffixes = List.copyOf(sfx);
    }

    /**
     * The value of the most specific pattern of {@code byPattern} (keys are patterns as above) matching
     * {@code normalizedHost}: its exact name, else the longest matching wildcard — for per-domain settings (pins,
     * client certificates, injected credentials) where the nearest rule wins.
     */
    public static <V> Optional<V> mostSpecific(Map<String, V> byPattern, String normalizedHost) {
        if (byPattern.isEmpty()) {
            return Optional.empty(); // the common case, asked per request: nothing allocated
        }
        V exact = byPattern.get(normalizedHost);
        if (exact != null) {
            return Optional.of(exact);
        }
        String best = null;
        for (String p : byPattern.keySet()) {
            if (p.startsWith("*.") && subdomainOf(normalizedHost, p.substring(1))
                    && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best == null ? Optional.empty() : Optional.of(byPattern.get(best));
    }

    private static boolean subdomainOf(String host, String dotSuffix) {
        return host.length() > dotSuffix.length() && host.endsWith(dotSuffix);
    }

    public boolean matches(String normalizedHost) {
        if (exact.contains(normalizedHost)) {
            return true;
        }
        for (String s : suffixes) {
            if (subdomainOf(normalizedHost, s)) {
                return true;
            }
        }
        return false;
    }
}
