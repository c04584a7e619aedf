package dev.rtfs.microvm.cli.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class a newcomer can hold in their head: no source file in src/main is longer than {@link #MAX_LINES} lines
 * unless its type comment says why, in a paragraph starting {@code <p>Size:}.
 */
class ClassSizeRulesTest {

    static final int MAX_LINES = 420;
    static final String REASON = "<p>Size:";

    /** Files over the limit whose header (the text before the first type declaration) gives no reason. */
    static List<String> oversizedWithoutReason(Path root, List<String> modules) throws IOException {
        List<String> out = new ArrayList<>();
        for (String module : modules) {
            Path main = root.resolve(module).resolve("src/main");
            if (!Files.isDirectory(main)) continue;
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    List<String> lines = Files.readAllLines(f);
                    if (lines.size() <= MAX_LINES) continue;
                    String header = String.join("\n", lines.subList(0, declarationLine(lines)));
                    if (!header.contains(REASON)) out.add(root.relativize(f) + " (" + lines.size() + " lines)");
                }
            }
        }
        return out;
    }

    private static int declarationLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^(public |final |abstract |sealed )*(class|record|interface|enum) .*")) return i;
        }
        return lines.size();
    }

    @Test
    void everyClassOverTheLimitSaysWhyAtItsTop() throws IOException {
        assertThat(oversizedWithoutReason(ModuleDependencyRulesTest.ROOT, ModuleDependencyRulesTest.MODULES)).isEmpty();
    }

    @Test
    void aLongClassIsReportedUntilItsCommentGivesAReason(@TempDir Path root) throws IOException {
        Path file = root.resolve("m/src/main/java/Long.java");
        Files.createDirectories(file.getParent());
        String body = "    int x;\n".repeat(MAX_LINES);
        Files.writeString(file, "/** Long. */\npublic final class Long {\n" + body + "}\n");
        assertThat(oversizedWithoutReason(root, List.of("m"))).singleElement().asString().contains("Long.java");

        Files.writeString(file, "/**\n * Long.\n *\n * " + REASON + " a table.\n */\npublic final class Long {\n" + body + "}\n");
        assertThat(oversizedWithoutReason(root, List.of("m"))).isEmpty();
    }
}
