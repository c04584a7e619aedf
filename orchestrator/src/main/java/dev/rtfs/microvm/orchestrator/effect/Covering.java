package dev.rtfs.microvm.orchestrator.effect;

/**
 * When one parameter value covers another. Domains and paths form trees (a pattern or directory covers
 * what lies beneath it), so two values are always either nested or disjoint; everything else is plain
 * equality.
 */
@FunctionalInterface
public interface Covering<T> {

    boolean covers(T wide, T narrow);

    static <T> Covering<T> equality() {
        return Object::equals;
    }

    /**
     * Hostnames and {@code *.suffix} patterns: {@code example.com} covers only itself; {@code *.example.com}
     * covers every proper subdomain of example.com and every pattern below it, but not example.com itself.
     */
    Covering<String> DOMAINS = (wide, narrow) -> {
        if (wide.equals(narrow)) return true;
        if (!wide.startsWith("*.")) return false;
        String suffix = wide.substring(1); // ".example.com"
        String bare = narrow.startsWith("*.") ? narrow.substring(2) : narrow;
        return bare.endsWith(suffix) && bare.length() > suffix.length();
    };

    /** Absolute, normalized paths: a directory covers itself and everything below it. */
    Covering<String> PATHS = (wide, narrow) ->
            wide.equals(narrow) || wide.equals("/") || narrow.startsWith(wide + "/");
}
