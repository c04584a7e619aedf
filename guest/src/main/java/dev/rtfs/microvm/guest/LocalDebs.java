package dev.rtfs.microvm.guest;

import dev.rtfs.microvm.vmm.attest.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code .deb} files in the deb directories, at the versions installed on this host ({@code dpkg-query}): the
 * guest's userland takes exactly the host's versions, so the two agree. A file is found by its apt name
 * ({@code name_version_arch.deb}, ':' written {@code %3a}) and its control fields are read ({@code dpkg-deb -f})
 * only when the closure takes it; a file whose fields do not match its name, or that dpkg-deb cannot read, is an
 * error naming the file.
 */
public final class LocalDebs implements DebCatalog {

    private record Installed(String version, String architecture, List<String> provides) {}

    private final ImageTools tools;
    private final List<Path> dirs;
    private final Map<String, Installed> installed;
    private final Map<String, List<String>> providers = new TreeMap<>();
    /** name -> version -> file, the first deb directory winning. */
    private final Map<String, Map<String, Path>> files = new HashMap<>();
    private final Map<String, Optional<DebPackage>> loaded = new HashMap<>();

    private LocalDebs(ImageTools tools, List<Path> dirs, Map<String, Installed> installed) throws IOException {
        this.tools = tools;
        this.dirs = List.copyOf(dirs);
        this.installed = installed;
        for (Map.Entry<String, Installed> e : new TreeMap<>(installed).entrySet()) {
            for (String v : e.getValue().provides()) providers.computeIfAbsent(v, k -> new ArrayList<>()).add(e.getKey());
        }
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> list = Files.list(dir)) {
                for (Path f : list.sorted().toList()) {
                    String[] parts = f.getFileName().toString().split("_");
                    if (parts.length != 3 || !parts[2].endsWith(".deb")) continue;
                    // apt writes the epoch colon as %3a; a URL decoder would also turn a version's + into a space.
                    String version = parts[1].replace("%3a", ":").replace("%3A", ":");
                    files.computeIfAbsent(parts[0], k -> new HashMap<>()).putIfAbsent(version, f);
                }
            }
        }
    }

    /** The catalog of {@code dirs} against the host's dpkg database. */
    public static LocalDebs open(ImageTools tools, List<Path> dirs) throws ImageBuildException {
        Path dpkgQuery = tools.locate("dpkg-query")
                .orElseThrow(() -> ImageBuildException.missing("dpkg-query is not installed", "dpkg"));
        try {
            ImageTools.Result r = tools.run(List.of(dpkgQuery.toString(), "-W", "-f",
                    "${Package}\\t${Version}\\t${Architecture}\\t${Provides}\\t${db:Status-Status}\\n"), Map.of());
            if (!r.ok()) throw new ImageBuildException("dpkg-query failed (exit " + r.exit() + "): " + r.stderr().strip());
            Map<String, Installed> installed = new HashMap<>();
            for (String line : r.stdout().lines().toList()) {
                String[] f = line.split("\t", -1);
                if (f.length < 5 || !f[4].equals("installed")) continue;
                installed.put(f[0], new Installed(f[1], f[2], DebPackage.names(f[3])));
            }
            return new LocalDebs(tools, dirs, installed);
        } catch (IOException e) {
            throw new ImageBuildException("cannot read the host's package list or the deb directories: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<DebPackage> load(String name) throws ImageBuildException {
        if (loaded.containsKey(name)) return loaded.get(name);
        Optional<DebPackage> p = Optional.empty();
        Installed host = installed.get(name);
        Path file = host == null ? null : files.getOrDefault(name, Map.of()).get(host.version());
        if (file != null) p = Optional.of(read(file, name, host.version()));
        loaded.put(name, p);
        return p;
    }

    @Override
    public List<String> providers(String name) {
        return providers.getOrDefault(name, List.of());
    }

    @Override
    public Optional<String> hostVersion(String name) {
        return Optional.ofNullable(installed.get(name)).map(Installed::version);
    }

    /** Where a fetched {@code .deb} goes: the first deb directory. */
    public Path fetchDir() {
        return dirs.getFirst();
    }

    private DebPackage read(Path file, String name, String version) throws ImageBuildException {
        Path dpkgDeb = tools.locate("dpkg-deb")
                .orElseThrow(() -> ImageBuildException.missing("dpkg-deb is not installed", "dpkg"));
        try {
            ImageTools.Result r = tools.run(List.of(dpkgDeb.toString(), "-f", file.toString(), "Package", "Version",
                    "Architecture", "Depends", "Pre-Depends", "Provides"), Map.of());
            if (!r.ok()) {
                throw new ImageBuildException(file + ": not a readable .deb (dpkg-deb: " + firstLine(r.stderr()) + ")");
            }
            Map<String, String> fields = fields(r.stdout());
            if (!name.equals(fields.get("Package")) || !version.equals(fields.get("Version"))) {
                throw new ImageBuildException(file + ": its control fields say " + fields.get("Package") + " "
                        + fields.get("Version") + ", its name says " + name + " " + version);
            }
            List<List<String>> depends = new ArrayList<>(DebPackage.clauses(fields.get("Pre-Depends")));
            depends.addAll(DebPackage.clauses(fields.get("Depends")));
            return new DebPackage(name, version, fields.getOrDefault("Architecture", ""), depends,
                    DebPackage.names(fields.get("Provides")), file, Sha256.ofFile(file));
        } catch (IOException e) {
            throw new ImageBuildException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code Field: value} lines; continuation lines (leading space) join their field. */
    static Map<String, String> fields(String control) {
        Map<String, String> out = new HashMap<>();
        String last = null;
        for (String line : control.lines().toList()) {
            if (line.startsWith(" ") && last != null) {
                out.put(last, out.get(last) + " " + line.strip());
            } else if (line.indexOf(':') > 0) {
                last = line.substring(0, line.indexOf(':'));
                out.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("no message");
    }
}
