package dev.rtfs.microvm.guest.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kernel's module graph, read from its {@code modules.dep} and {@code modules.builtin} (written by depmod),
 * and the closure of the modules a guest needs in load order. The kernel's own files decide which modules a need
 * takes and in which order they load: Debian's 6.1.0-57 made {@code virtio} depend on {@code virtio_ring}, the
 * reverse of before, and a list in the code broke every boot.
 *
 * <p>Names are normalized as the kernel does ('-' and '_' are the same: {@code virtio-rng.ko} is
 * {@code virtio_rng}). Paths are relative to the modules directory; one that escapes it is refused. Both files
 * are read whole but bounded ({@link #MAX_FILE_BYTES}); every malformed line is an error naming the file and line.
 */
final class ModuleDependencies {

    public static final String DEP_FILE = "modules.dep";
    public static final String BUILTIN_FILE = "modules.builtin";

    /** Debian's modules.dep is ~100 KiB; anything near this cap is not a modules.dep. */
    public static final long MAX_FILE_BYTES = 16L << 20;

    private static final List<String> SUFFIXES = List.of(".ko", ".ko.xz", ".ko.zst");

    /** A modules.dep line: the module's file and the files of everything it needs (depmod lists them all). */
    private record Entry(String name, String file, List<String> dependencies, int line) {}

    private final Path modulesDir;
    private final String kernelVersion;
    private final Map<String, Entry> loadable;
    private final Map<String, Integer> builtIn;

    private ModuleDependencies(Path modulesDir, Map<String, Entry> loadable, Map<String, Integer> builtIn) {
        this.modulesDir = modulesDir;
        Path name = modulesDir.getFileName();
        this.kernelVersion = name == null ? modulesDir.toString() : name.toString();
        this.loadable = loadable;
        this.builtIn = builtIn;
    }

    /** Reads {@code <modulesDir>/modules.dep} and {@code <modulesDir>/modules.builtin}. */
    public static ModuleDependencies read(Path modulesDir) throws KernelInputException {
        if (!Files.isDirectory(modulesDir)) throw new KernelInputException("no kernel modules directory " + modulesDir);
        byte[] dep = readBounded(modulesDir.resolve(DEP_FILE));
        byte[] builtin = readBounded(modulesDir.resolve(BUILTIN_FILE));
        return parse(modulesDir, dep, builtin);
    }

    /** Parses the two files' bytes; {@code modulesDir} names them in errors and is where module files are looked for. */
    static ModuleDependencies parse(Path modulesDir, byte[] dep, byte[] builtin) throws KernelInputException {
        Path depFile = modulesDir.resolve(DEP_FILE);
        Path builtinFile = modulesDir.resolve(BUILTIN_FILE);
        Map<String, Integer> builtIn = new HashMap<>();
        List<String> builtinLines = lines(builtinFile, builtin);
        for (int i = 0; i < builtinLines.size(); i++) {
            String line = builtinLines.get(i);
            if (line.isEmpty()) continue;
            String name = nameOf(checkPath(line, builtinFile, i + 1), builtinFile, i + 1);
            builtIn.putIfAbsent(name, i + 1);
        }
        Map<String, Entry> loadable = new HashMap<>();
        List<String> depLines = lines(depFile, dep);
        for (int i = 0; i < depLines.size(); i++) {
            String line = depLines.get(i);
            int no = i + 1;
            if (line.isEmpty()) continue;
            int colon = line.indexOf(':');
            if (colon < 0) throw malformed(depFile, no, "expected '<module>: <dependencies>'");
            String file = checkPath(line.substring(0, colon), depFile, no);
            String rest = line.substring(colon + 1);
            if (!rest.isEmpty() && rest.charAt(0) != ' ') {
                throw malformed(depFile, no, "expected a space after the ':'");
            }
            List<String> deps = new ArrayList<>();
            // Only spaces separate (depmod writes one); any other whitespace is part of a token and refused there.
            for (String d : rest.split(" ", -1)) {
                if (!d.isEmpty()) deps.add(checkPath(d, depFile, no));
            }
            String name = nameOf(file, depFile, no);
            Entry before = loadable.putIfAbsent(name, new Entry(name, file, List.copyOf(deps), no));
            if (before != null) {
                throw malformed(depFile, no, "module " + name + " is listed twice (also line " + before.line() + ")");
            }
        }
        return new ModuleDependencies(modulesDir, Map.copyOf(loadable), Map.copyOf(builtIn));
    }

    /** The kernel these modules belong to: the modules directory's name ({@code 6.1.0-57-cloud-amd64}). */
    public String kernelVersion() {
        return kernelVersion;
    }

    public Path modulesDir() {
        return modulesDir;
    }

    /**
     * {@code roots} and everything they need, each after all it depends on. Deterministic: roots in the order
     * given, each module's dependencies in modules.dep's order. A built-in module is listed (marked) where it is
     * first needed and loads nothing. A needed module the kernel does not have, one whose file is missing, and a
     * dependency cycle are errors.
     */
    public List<GuestModule> closure(Collection<String> roots) throws KernelInputException {
        record Frame(Entry entry, Iterator<String> dependencies) {}
        Map<String, GuestModule> done = new LinkedHashMap<>();
        for (String root : roots) {
            String rootName = normalize(root);
            if (done.containsKey(rootName)) continue;
            if (builtIn.containsKey(rootName)) {
                done.put(rootName, GuestModule.builtIn(rootName));
                continue;
            }
            // Iterative depth-first search: a long dependency chain in a hostile file cannot overflow the stack.
            Set<String> onPath = new LinkedHashSet<>();
            Deque<Frame> stack = new ArrayDeque<>();
            Entry first = entry(rootName, null);
            onPath.add(rootName);
            stack.push(new Frame(first, first.dependencies().iterator()));
            while (!stack.isEmpty()) {
                Frame top = stack.peek();
                if (!top.dependencies().hasNext()) {
                    stack.pop();
                    onPath.remove(top.entry().name());
                    done.put(top.entry().name(), GuestModule.loadable(top.entry().name(), top.entry().file()));
                    continue;
                }
                String dep = nameOf(top.dependencies().next());
                if (done.containsKey(dep)) continue;
                if (builtIn.containsKey(dep)) {
                    done.put(dep, GuestModule.builtIn(dep));
                    continue;
                }
                if (onPath.contains(dep)) {
                    List<String> cycle = new ArrayList<>(onPath);
                    cycle = new ArrayList<>(cycle.subList(cycle.indexOf(dep), cycle.size()));
                    cycle.add(dep);
                    throw new KernelInputException("kernel " + kernelVersion + ": " + modulesDir.resolve(DEP_FILE)
                            + " has a dependency cycle: " + String.join(" -> ", cycle));
                }
                Entry next = entry(dep, top.entry().name());
                onPath.add(dep);
                stack.push(new Frame(next, next.dependencies().iterator()));
            }
        }
        return List.copyOf(done.values());
    }

    /**
     * What {@code module} needs according to modules.dep (normalized names, modules.dep's order; depmod lists the
     * whole transitive set); empty for a built-in module. A module the kernel does not have is an error.
     */
    public List<String> dependenciesOf(String module) throws KernelInputException {
        String name = normalize(module);
        if (builtIn.containsKey(name)) return List.of();
        Entry e = loadable.get(name);
        if (e == null) {
            throw new KernelInputException("kernel " + kernelVersion + " has no module " + name
                    + " (neither in modules.dep nor built in)");
        }
        return e.dependencies().stream().map(ModuleDependencies::nameOf).toList();
    }

    /** '-' and '_' are the same in module names. */
    public static String normalize(String moduleName) {
        return moduleName.replace('-', '_');
    }

    private Entry entry(String name, String neededBy) throws KernelInputException {
        Entry e = loadable.get(name);
        String by = neededBy == null ? "" : ", needed by " + neededBy;
        if (e == null) {
            throw new KernelInputException("kernel " + kernelVersion + " has no module " + name
                    + " (neither in modules.dep nor built in" + by + ")");
        }
        if (!Files.isRegularFile(modulesDir.resolve(e.file()))) {
            throw new KernelInputException("kernel " + kernelVersion + ": module " + name + " is missing its file "
                    + modulesDir.resolve(e.file()) + " (listed in modules.dep line " + e.line() + by + ")");
        }
        return e;
    }

    /** A module's name from its (already checked) path. */
    private static String nameOf(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        for (String s : SUFFIXES) {
            if (base.endsWith(s)) return normalize(base.substring(0, base.length() - s.length()));
        }
        throw new IllegalStateException("unchecked module path " + file);
    }

    private static String nameOf(String file, Path in, int line) throws KernelInputException {
        String base = file.substring(file.lastIndexOf('/') + 1);
        for (String s : SUFFIXES) {
            if (base.endsWith(s) && base.length() > s.length()) return nameOf(file);
        }
        throw malformed(in, line, "'" + printable(file) + "' is not a module file (.ko, .ko.xz or .ko.zst)");
    }

    /** Relative, inside the modules directory, a module file name, no control characters. */
    private static String checkPath(String path, Path in, int line) throws KernelInputException {
        if (path.isEmpty()) throw malformed(in, line, "empty module path");
        if (path.startsWith("/")) throw malformed(in, line, "absolute module path '" + printable(path) + "'");
        if (!path.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            throw malformed(in, line, "module path '" + printable(path) + "' has spaces or control characters");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw malformed(in, line, "module path '" + printable(path) + "' leaves or is not a plain path "
                        + "inside the modules directory");
            }
        }
        nameOf(path, in, line);
        return path;
    }

    private static KernelInputException malformed(Path file, int line, String what) {
        return new KernelInputException(file + " line " + line + ": " + what);
    }

    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 120 ? p.substring(0, 120) + "..." : p;
    }

    private static List<String> lines(Path file, byte[] bytes) throws KernelInputException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new KernelInputException(file + ": not UTF-8 text", e);
        }
        return List.of(text.split("\n", -1));
    }

    /** The whole file, refused above {@link #MAX_FILE_BYTES} (checked on the bytes read, not only the size). */
    static byte[] readBounded(Path file) throws KernelInputException {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) throw tooBig(file);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
                if (bytes.length > MAX_FILE_BYTES) throw tooBig(file);
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new KernelInputException("no " + file + " (the kernel's modules are not installed, or depmod has "
                    + "not run)", e);
        } catch (KernelInputException e) {
            throw e;
        } catch (IOException e) {
            throw new KernelInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static KernelInputException tooBig(Path file) {
        return new KernelInputException(file + " is larger than " + (MAX_FILE_BYTES >> 20) + " MiB: not a depmod file");
    }
}
