package dev.rtfs.microvm.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors the spec shows ({@code <!-- shown-error: ID -->} before a ```text block) are the real text: each is
 * produced here, with the deployment directory {@code /srv/rtfs} standing for a temporary one, and every shown line
 * must be a line of what the CLI printed.
 */
class ShownErrorsTest {

    static final String CONFIG = DocFiles.ROOT.resolve("docs/examples/agent.config.microvm.rtfs").toString();
    static final String PLAN = DocFiles.ROOT.resolve("docs/examples/plan.networked.rtfs").toString();

    @TempDir Path dir;

    /** Runs the CLI; {@code base} is what {@code /srv/rtfs} stands for in the spec. */
    private static String cli(Path base, String... args) {
        StringWriter out = new StringWriter();
        Main.run(args, new PrintWriter(out, true), new PrintWriter(out, true));
        return out.toString().replace(DocFiles.ROOT + "/", "").replace(base.toString(), "/srv/rtfs");
    }

    /** The CLI's output for the situation {@code id} names. */
    String produce(String id) throws IOException {
        Path base = dir.resolve(id);
        Path blue = base.resolve("blue");
        return switch (id) {
            case "placeholder-hash" -> {
                for (String f : List.of("kernels/vmlinuz-min", "images/initramfs.cpio", "images/agent-rootfs.img",
                        "images/capabilities.img")) {
                    Files.createDirectories(blue.resolve(f).getParent());
                    Files.writeString(blue.resolve(f), "not an image: the deploy is refused before boot\n");
                }
                yield cli(base, "run", CONFIG, "--plan", PLAN, "--image", blue.toString(), "--run-dir",
                        base.resolve("run").toString(), "--chain-key", base.resolve("key").toString(), "--quiet");
            }
            case "missing-image" -> cli(base, "run", CONFIG, "--plan", PLAN, "--image", blue.toString(), "--quiet");
            case "denied-step" -> cli(base, "profile", "--config", CONFIG,
                    DocFiles.ROOT.resolve("docs/examples/plan.denied.rtfs").toString());
            case "kubernetes-check" -> cli(base, "check", CONFIG, "--target", "kubernetes");
            default -> throw new IllegalArgumentException("no producer for shown-error " + id);
        };
    }

    /** Shown lines that the CLI did not print. */
    static List<String> notPrinted(String shown, String printed) {
        Set<String> real = printed.lines().map(String::strip).collect(Collectors.toSet());
        return shown.lines().map(String::strip).filter(l -> !l.isEmpty() && !real.contains(l)).toList();
    }

    @Test
    void theErrorsTheSpecShowsAreWhatTheCliPrints() throws IOException {
        List<DocFiles.Fence> shown = DocFiles.allFences().stream().filter(f -> f.marker().startsWith("shown-error:")).toList();
        assertThat(shown).extracting(f -> f.marker().substring("shown-error:".length()).strip())
                .contains("placeholder-hash", "missing-image", "denied-step", "kubernetes-check");
        List<String> problems = new ArrayList<>();
        for (DocFiles.Fence f : shown) {
            String printed = produce(f.marker().substring("shown-error:".length()).strip());
            List<String> missing = notPrinted(f.text(), printed);
            if (!missing.isEmpty()) problems.add(f.where() + ": not printed: " + missing + "\nprinted:\n" + printed);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void anEditedErrorLineIsReported() {
        assertThat(notPrinted("error: a\n  = path: b\n", "error: a\n   = path: b\nmore\n")).isEmpty();
        assertThat(notPrinted("error: a, edited\n", "error: a\n")).containsExactly("error: a, edited");
    }
}
