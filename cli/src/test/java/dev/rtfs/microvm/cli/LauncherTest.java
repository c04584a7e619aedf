package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./rtfs-microvm} launcher installed on PATH as a symlink and called from another directory finds its
 * checkout through the link. The checkout here is a copy of the launcher next to a jar whose manifest points at this
 * test's classes, so the real launcher runs the real CLI without a Maven build inside the test.
 */
class LauncherTest {

    static final Path ROOT = Path.of(System.getProperty("rtfs.repo.root", "..")).toAbsolutePath().normalize();

    @TempDir Path dir;

    /** A checkout with the launcher and an up-to-date cli/target/rtfs-microvm.jar. */
    private Path checkout() throws IOException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path launcher = Files.copy(ROOT.resolve("rtfs-microvm"), repo.resolve("rtfs-microvm"));
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        Path target = Files.createDirectories(repo.resolve("cli/target"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" "));
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream out = Files.newOutputStream(target.resolve("rtfs-microvm.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return repo;
    }

    @Test
    void theLauncherSymlinkedIntoABinDirectoryRunsFromAnyDirectory() throws Exception {
        Path repo = checkout();
        Path bin = Files.createDirectories(dir.resolve("home/.local/bin"));
        Path link = Files.createSymbolicLink(bin.resolve("rtfs-microvm"), repo.resolve("rtfs-microvm"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));

        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--version").directory(elsewhere.toFile())
                .redirectErrorStream(true);
        pb.environment().put("RTFS_NO_AOT", "1"); // no cache training in a throwaway checkout
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).startsWith("rtfs-microvm ").doesNotContain("building the CLI");
        try (var left = Files.list(bin)) {
            assertThat(left).as("nothing built next to the link").containsExactly(link);
        }
    }
}
