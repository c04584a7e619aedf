package dev.rtfs.microvm.guest;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Depends/Pre-Depends closure of the userland's packages over what is available locally. Pure: it sees only
 * control fields, so tests give it synthetic ones.
 *
 * <p>Per clause the first alternative that is available wins (a real package first, then a virtual one through
 * the alphabetically first local package that provides it); cycles are fine (each package is taken once); a
 * package in {@link #EXCLUDED} is never taken, and the resolution says which ones the closure asked for.
 */
public final class DebClosure {

    /**
     * Packages a guest without an init system or package manager does not need, left out on purpose. Only maintainer
     * scripts use them, and {@code dpkg-deb -x} runs none; everything else they would bring (perl-base, through
     * debconf) is left out with them.
     */
    public static final Map<String, String> EXCLUDED = Map.of(
            "dpkg", "the package manager: the rootfs is read-only and assembled on the host",
            "debconf", "maintainer-script configuration: no maintainer script runs",
            "cdebconf", "maintainer-script configuration: no maintainer script runs",
            "perl-base", "only debconf and maintainer scripts use it",
            "install-info", "info-page index trigger: the image drops info pages",
            "init-system-helpers", "service registration: the guest's init is rtfs's own /init");

    /** What was taken (by name, sorted) and which excluded packages the closure asked for. */
    public record Resolution(List<DebPackage> packages, Set<String> excludedAskedFor) {
        public Resolution {
            packages = List.copyOf(packages);
            excludedAskedFor = Set.copyOf(excludedAskedFor);
        }
    }

    /** A package the closure needs but that has no local {@code .deb}. */
    public record Missing(String name, Optional<String> version, String neededBy) {}

    /** The closure failed; {@link #missing} says what to fetch. */
    public static final class UnresolvedException extends Exception {
        private final transient Missing missing;

        UnresolvedException(Missing missing) {
            super("package " + missing.name() + missing.version().map(v -> " " + v).orElse("") + " has no local .deb"
                    + (missing.neededBy().isEmpty() ? "" : " (needed by " + missing.neededBy() + ")"));
            this.missing = missing;
        }

        public Missing missing() {
            return missing;
        }
    }

    private DebClosure() {}

    /**
     * @param roots   the packages asked for (the default set plus {@code --package})
     * @param catalog the local packages (the host's installed versions)
     */
    public static Resolution resolve(Collection<String> roots, DebCatalog catalog)
            throws UnresolvedException, ImageBuildException {
        Map<String, DebPackage> taken = new TreeMap<>();
        Set<String> excluded = new TreeSet<>();
        Deque<DebPackage> todo = new ArrayDeque<>();
        for (String root : roots) {
            if (EXCLUDED.containsKey(root)) {
                excluded.add(root);
                continue;
            }
            DebPackage p = pick(List.of(root), catalog, "");
            if (taken.putIfAbsent(p.name(), p) == null) todo.add(p);
        }
        while (!todo.isEmpty()) {
            DebPackage p = todo.poll();
            for (List<String> clause : p.depends()) {
                if (clause.stream().anyMatch(taken::containsKey)) continue;
                if (clause.stream().anyMatch(a -> taken.values().stream().anyMatch(t -> t.provides().contains(a)))) {
                    continue;
                }
                Optional<String> skip = clause.stream().filter(EXCLUDED::containsKey).findFirst();
                if (skip.isPresent()) {
                    excluded.add(skip.get());
                    continue;
                }
                DebPackage d = pick(clause, catalog, p.name());
                if (taken.putIfAbsent(d.name(), d) == null) todo.add(d);
            }
        }
        return new Resolution(List.copyOf(taken.values()), excluded);
    }

    private static DebPackage pick(List<String> alternatives, DebCatalog catalog, String neededBy)
            throws UnresolvedException, ImageBuildException {
        for (String a : alternatives) {
            Optional<DebPackage> p = catalog.load(a);
            if (p.isPresent()) return p.get();
        }
        for (String a : alternatives) {
            for (String provider : catalog.providers(a)) {
                if (EXCLUDED.containsKey(provider)) continue;
                Optional<DebPackage> p = catalog.load(provider);
                if (p.isPresent()) return p.get();
            }
        }
        String first = alternatives.stream().filter(a -> catalog.hostVersion(a).isPresent()).findFirst()
                .orElse(alternatives.getFirst());
        throw new UnresolvedException(new Missing(first, catalog.hostVersion(first), neededBy));
    }
}
