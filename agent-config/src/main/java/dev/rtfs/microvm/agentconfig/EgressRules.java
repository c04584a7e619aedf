package dev.rtfs.microvm.agentconfig;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Formats of allowlist entries, TLS pins and rootfs hashes. Pure functions. */
final class EgressRules {
    private EgressRules() {}

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ROOTFS_HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern PLACEHOLDER_WORD = Pattern.compile("[A-Z_<>-]*|.*\\.\\.\\..*|<.*>");

    /** Why {@code entry} is not a valid allowlist entry, or empty when it is. */
    static Optional<String> domainProblem(String entry) {
        if (entry.isEmpty()) return Optional.of("the entry is empty");
        if (entry.contains("://")) return Optional.of("a URL scheme is not allowed, only a hostname");
        if (entry.equals("*")) return Optional.of("\"*\" would allow every domain");
        if (entry.startsWith("[") || entry.chars().filter(c -> c == ':').count() > 1) {
            return Optional.of("IP literals are not allowed, only hostnames");
        }
        if (entry.contains("/")) return Optional.of("a path is not allowed, only a hostname");
        if (entry.contains(":")) return Optional.of("a port is not allowed, only a hostname");
        if (!entry.equals(entry.toLowerCase(Locale.ROOT))) return Optional.of("hostnames must be lowercase");
        String host = entry.startsWith("*.") ? entry.substring(2) : entry;
        if (host.contains("*")) return Optional.of("a wildcard is only allowed as a leading \"*.\"");
        if (host.endsWith(".")) return Optional.of("a trailing dot is not allowed");
        if (host.length() > 253) return Optional.of("a hostname has at most 253 characters");
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("\"" + SchemaWalker.abbreviate(label) + "\" is not a valid hostname label (letters, digits, inner '-', at most 63)");
            }
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            return Optional.of("IP literals are not allowed, only hostnames");
        }
        if (entry.startsWith("*.") && labels.length < 2) {
            return Optional.of("\"" + SchemaWalker.abbreviate(entry) + "\" would allow a whole top-level domain");
        }
        return Optional.empty();
    }

    /** A corrected entry when the fix is obvious (case, scheme, path, port), else empty. */
    static Optional<String> domainFix(String entry) {
        String fixed = entry.toLowerCase(Locale.ROOT).replaceFirst("^[a-z][a-z0-9+.-]*://", "");
        fixed = fixed.replaceFirst("/.*$", "").replaceFirst(":[0-9]*$", "");
        if (fixed.endsWith(".")) fixed = fixed.substring(0, fixed.length() - 1);
        return !fixed.equals(entry) && domainProblem(fixed).isEmpty() ? Optional.of(fixed) : Optional.empty();
    }

    /**
     * {@code domain} (a host name or {@code *.suffix}) is inside the allowlist: listed itself, or under a listed
     * {@code *.suffix} (which, as in the proxy, does not cover the bare suffix).
     */
    static boolean covered(java.util.List<String> allowDomains, String domain) {
        for (String a : allowDomains) {
            if (a.equals(domain)) return true;
            if (a.startsWith("*.") && domain.endsWith(a.substring(1))) return true;
        }
        return false;
    }

    /** An absolute host path without control characters, as the proxy's ACL accepts it. */
    static boolean isHostPath(String path) {
        return !path.isEmpty() && path.length() <= 4096 && path.charAt(0) == '/'
                && path.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f);
    }

    enum PinStatus { VALID, PLACEHOLDER, INVALID }

    /** {@code sha256/} + base64 of a 32-byte SPKI digest; {@code sha256/...}, {@code sha256/REPLACE_ME} are placeholders. */
    static PinStatus pin(String pin) {
        if (!pin.startsWith("sha256/")) return PinStatus.INVALID;
        String rest = pin.substring("sha256/".length());
        if (rest.isEmpty() || PLACEHOLDER_WORD.matcher(rest).matches()) return PinStatus.PLACEHOLDER;
        try {
            return Base64.getDecoder().decode(rest).length == 32 && rest.length() == 44 ? PinStatus.VALID : PinStatus.INVALID;
        } catch (IllegalArgumentException e) {
            return PinStatus.INVALID;
        }
    }

    /** A hash placeholder such as {@code sha256:...} or {@code sha256:REPLACE_ME}: resolved at deploy. */
    static boolean isHashPlaceholder(String hash) {
        if (!hash.startsWith("sha256:")) return false;
        String rest = hash.substring("sha256:".length());
        return rest.isEmpty() || PLACEHOLDER_WORD.matcher(rest).matches();
    }

    static boolean isRootfsHash(String hash) {
        return ROOTFS_HASH.matcher(hash).matches();
    }
}
