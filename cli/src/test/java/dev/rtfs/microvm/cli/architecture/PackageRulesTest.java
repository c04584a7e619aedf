package dev.rtfs.microvm.cli.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Package = module: every source file of module {@code a-b} lives in {@code dev.rtfs.microvm.ab} or below, so a
 * class name tells which module owns it; and no two modules publish a type with the same simple name.
 */
class PackageRulesTest {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern PUBLIC_TYPE =
            Pattern.compile("(?m)^public\\s+(?:(?:abstract|final|sealed|non-sealed|static)\\s+)*"
                    + "(?:class|interface|record|enum|@interface)\\s+(\\w+)");

    static String packageOf(String module) {
        return "dev.rtfs.microvm." + module.replace("-", "");
    }

    /** Files whose package does not start with their module's package, as "module: path (package)". */
    static List<String> misplaced(Path root, List<String> modules) throws IOException {
        List<String> out = new ArrayList<>();
        for (String module : modules) {
            String expected = packageOf(module);
            for (Path file : javaFiles(root.resolve(module).resolve("src"))) {
                String pkg = declared(PACKAGE, file);
                if (pkg == null || !(pkg.equals(expected) || pkg.startsWith(expected + "."))) {
                    out.add(module + ": " + root.relativize(file) + " (" + pkg + ")");
                }
            }
        }
        return out;
    }

    /** Public top-level simple names of src/main declared more than once, with where. */
    static Map<String, List<String>> clashingPublicNames(Path root, List<String> modules) throws IOException {
        Map<String, List<String>> byName = new TreeMap<>();
        for (String module : modules) {
            for (Path file : javaFiles(root.resolve(module).resolve("src/main"))) {
                String name = declared(PUBLIC_TYPE, file);
                if (name != null) byName.computeIfAbsent(name, n -> new ArrayList<>()).add(root.relativize(file).toString());
            }
        }
        byName.values().removeIf(files -> files.size() < 2);
        return byName;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.getFileName().toString().equals("package-info.java")
                            && !f.getFileName().toString().equals("module-info.java"))
                    .sorted().toList();
        }
    }

    private static String declared(Pattern pattern, Path file) throws IOException {
        Matcher m = pattern.matcher(Files.readString(file));
        return m.find() ? m.group(1) : null;
    }

    @Test
    void everySourceFileLivesInItsModulesPackage() throws IOException {
        assertThat(misplaced(ModuleDependencyRulesTest.ROOT, ModuleDependencyRulesTest.MODULES)).isEmpty();
    }

    @Test
    void noTwoPublicTypesShareASimpleName() throws IOException {
        assertThat(clashingPublicNames(ModuleDependencyRulesTest.ROOT, ModuleDependencyRulesTest.MODULES)).isEmpty();
    }

    @Test
    void aFileInAnotherModulesPackageAndAClashingNameAreBothReported(@TempDir Path root) throws IOException {
        write(root, "egress-policy/src/main/java/x/Acl.java", "package dev.rtfs.microvm.egresspolicy.acl;\npublic record Acl() {}");
        write(root, "egress-proxy/src/main/java/x/Server.java", "package dev.rtfs.microvm.egress.server;\npublic final class Server {}");
        write(root, "egress-proxy/src/main/java/y/Acl.java", "package dev.rtfs.microvm.egressproxy;\npublic class Acl {}");
        write(root, "egress-proxy/src/main/java/y/Quiet.java", "package dev.rtfs.microvm.egressproxy;\nclass Acl {}");
        List<String> modules = List.of("egress-policy", "egress-proxy");

        assertThat(misplaced(root, modules)).singleElement().asString()
                .contains("egress-proxy").contains("dev.rtfs.microvm.egress.server");
        assertThat(clashingPublicNames(root, modules)).containsOnlyKeys("Acl");
        assertThat(clashingPublicNames(root, modules).get("Acl")).hasSize(2);
    }

    private static void write(Path root, String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
