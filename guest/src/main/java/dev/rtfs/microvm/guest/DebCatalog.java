package dev.rtfs.microvm.guest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@link DebClosure} may take packages from. The real one ({@link LocalDebs}) reads a {@code .deb}'s control
 * fields only when the closure needs that package; tests give {@link #of} synthetic packages.
 */
public interface DebCatalog {

    /** The local {@code .deb} of {@code name}, if there is one; a corrupt one is an error, never skipped. */
    Optional<DebPackage> load(String name) throws ImageBuildException;

    /** Packages that provide the virtual package {@code name}, preferred first. */
    List<String> providers(String name);

    /** The version installed on the host, for packages without a local {@code .deb} (named in the error). */
    Optional<String> hostVersion(String name);

    /** A catalog of given packages (providers from their Provides, in name order) and host-only versions. */
    static DebCatalog of(List<DebPackage> packages, Map<String, String> hostOnly) {
        Map<String, DebPackage> byName = new TreeMap<>();
        for (DebPackage p : packages) byName.put(p.name(), p);
        return new DebCatalog() {
            @Override
            public Optional<DebPackage> load(String name) {
                return Optional.ofNullable(byName.get(name));
            }

            @Override
            public List<String> providers(String name) {
                return byName.values().stream().filter(p -> p.provides().contains(name)).map(DebPackage::name).toList();
            }

            @Override
            public Optional<String> hostVersion(String name) {
                return Optional.ofNullable(hostOnly.get(name));
            }
        };
    }
}
