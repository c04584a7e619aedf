package dev.rtfs.microvm.guest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One local {@code .deb} as the userland build sees it: its control fields (from {@code dpkg-deb -f}), where it is
 * and the sha256 of its bytes (what image.lock records).
 *
 * @param depends    Depends and Pre-Depends together: each element is one clause, its alternatives in order
 *                   ({@code a | b}), names only (versions and {@code :any} qualifiers dropped: the host's
 *                   installed set is consistent, and only its versions are used)
 * @param provides   the virtual packages it provides, names only
 */
public record DebPackage(String name, String version, String architecture, List<List<String>> depends,
        List<String> provides, Path file, String sha256) {

    public DebPackage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        Objects.requireNonNull(architecture);
        depends = depends.stream().map(List::copyOf).toList();
        provides = List.copyOf(provides);
        Objects.requireNonNull(file);
        Objects.requireNonNull(sha256);
    }

    /** {@code name=version}, as apt-get download takes it. */
    public String pinned() {
        return name + "=" + version;
    }

    /**
     * The clauses of a Depends-style field ({@code "libc6 (>= 2.34), debconf | cdebconf, foo:any"}): one list of
     * alternative names per clause, in field order. Blank gives none.
     */
    public static List<List<String>> clauses(String field) {
        List<List<String>> out = new ArrayList<>();
        if (field == null || field.isBlank()) return out;
        for (String clause : field.split(",")) {
            List<String> alternatives = new ArrayList<>();
            for (String alternative : clause.split("\\|")) {
                String n = name(alternative);
                if (!n.isEmpty()) alternatives.add(n);
            }
            if (!alternatives.isEmpty()) out.add(alternatives);
        }
        return out;
    }

    /** The names of a Provides field (versions dropped). */
    public static List<String> names(String field) {
        return clauses(field).stream().flatMap(List::stream).toList();
    }

    private static String name(String relation) {
        String s = relation.strip();
        int cut = s.length();
        for (char c : new char[] {' ', '(', '[', '<', ':'}) {
            int at = s.indexOf(c);
            if (at >= 0) cut = Math.min(cut, at);
        }
        return s.substring(0, cut).strip();
    }
}
