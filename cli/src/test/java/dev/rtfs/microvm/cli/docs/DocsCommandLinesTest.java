package dev.rtfs.microvm.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.cli.DocsCli;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./rtfs-microvm …} line in a shell block of README.md and docs/ (the KVM-only ones too) parses with the
 * CLI's own picocli model: the command exists and every option it uses is in that command's --help.
 */
class DocsCommandLinesTest {

    /** The problem with one command line, or null when picocli parses it. */
    static String problem(List<String> args) {
        try {
            DocsCli.parser().parseArgs(args.toArray(String[]::new));
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    /** The unparseable command lines of one markdown text, as "file:line: rtfs-microvm ARGS: problem". */
    static List<String> problems(String name, String markdown) {
        List<String> out = new ArrayList<>();
        for (DocFiles.Fence f : DocFiles.fences(name, markdown)) {
            if (!f.lang().startsWith("sh") && !f.lang().startsWith("bash")) continue;
            for (ShellLines.Command c : ShellLines.rtfsCommands(f.text())) {
                String p = problem(c.args());
                if (p != null) out.add(f.file() + ":" + (f.line() + c.lineOffset()) + ": rtfs-microvm "
                        + String.join(" ", c.args()) + ": " + p);
            }
        }
        return out;
    }

    @Test
    void everyCommandLineInTheDocsParsesWithTheClisOwnParser() {
        List<String> all = new ArrayList<>();
        int lines = 0;
        for (var file : DocFiles.docs()) {
            String name = DocFiles.ROOT.relativize(file).toString();
            String text = DocFilesText.read(file);
            all.addAll(problems(name, text));
            lines += DocFiles.fences(name, text).stream().filter(f -> f.lang().startsWith("sh"))
                    .mapToInt(f -> ShellLines.rtfsCommands(f.text()).size()).sum();
        }
        assertThat(lines).as("command lines found in the docs").isGreaterThan(20);
        assertThat(all).as("doc lines the CLI does not accept").isEmpty();
    }

    @Test
    void aRenamedOptionInADocIsReported() {
        String doc = "# x\n\n```sh\n./rtfs-microvm run CONFIG --plan PLAN --image DIR\n```\n";
        assertThat(problems("doc.md", doc)).isEmpty();
        assertThat(problems("doc.md", doc.replace("--image", "--images")))
                .singleElement().asString().startsWith("doc.md:4: rtfs-microvm run").contains("--images");
        assertThat(problems("doc.md", doc.replace("--plan PLAN ", ""))).as("a required option dropped").hasSize(1);
        assertThat(problems("doc.md", doc.replace("run", "runn"))).as("a renamed command").hasSize(1);
    }

    @Test
    void aCopyOfTheSpecWithARenamedOptionFails() {
        String spec = DocFilesText.read(DocFiles.SPEC);
        assertThat(spec).contains("--chain-key");
        List<String> before = problems("spec.md", spec);
        List<String> after = problems("spec.md", spec.replace("--chain-key", "--chainkey"));
        List<String> added = after.stream().filter(p -> !before.contains(p))
                .filter(p -> before.stream().noneMatch(b -> b.startsWith(p.substring(0, p.indexOf(": ")) + ": ")))
                .toList();
        assertThat(added).as("lines broken by the rename").hasSizeGreaterThanOrEqualTo(3)
                .allMatch(p -> p.contains("'--chainkey'"));
    }

    @Test
    void shellWordsFollowQuotesCommentsPipesAndContinuations() {
        var cmds = ShellLines.rtfsCommands("X=1 ./rtfs-microvm check 'a b.rtfs' # comment\n"
                + "./rtfs-microvm expand f \\\n  --load m 2>/dev/null | head\nls\n");
        assertThat(cmds).extracting(ShellLines.Command::args)
                .containsExactly(List.of("check", "a b.rtfs"), List.of("expand", "f", "--load", "m"));
    }
}
