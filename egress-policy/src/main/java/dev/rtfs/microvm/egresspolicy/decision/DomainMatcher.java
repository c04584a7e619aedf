package dev.rtfs.microvm.egresspolicy.decision;

import java.util.HashSet;
import java.util.List;
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

    public boolean matches(String normalizedHost) {
        if (exact.contains(normalizedHost)) {
            return true;
        }
        for (String s : suffixes) {
            if (normalizedHost.length() > s.length() && normalizedHost.endsWith(s)) {
                return true;
            }
        }
        return false;
    }
}
