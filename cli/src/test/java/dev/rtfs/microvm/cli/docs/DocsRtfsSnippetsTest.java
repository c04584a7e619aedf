package dev.rtfs.microvm.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.cli.Main;
import dev.rtfs.microvm.orchestrator.capability.CapabilityManifestReader;
import dev.rtfs.microvm.rtfslang.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RTFS snippet (```clojure or ```rtfs) in README.md and docs/ is an agent config that `check` accepts, with the
 * spec's profile macros loaded; a snippet marked {@code <!-- rtfs invalid: CODE -->} is refused with that code; one
 * marked {@code <!-- rtfs capability -->} is a capability manifest the package reader accepts.
 */
class DocsRtfsSnippetsTest {

    static final String MACROS = DocFiles.ROOT.resolve("docs/rtfs-2.0/specs-incoming/examples/macros.rtfs").toString();

    /** The marker of a capability manifest snippet. */
    static final String CAPABILITY = "rtfs capability";

    @TempDir Path dir;

    /** What is wrong with one snippet, or null. */
    String problem(DocFiles.Fence f) throws IOException {
        if (f.marker().equals(CAPABILITY)) {
            var reading = CapabilityManifestReader.read(new SourceFile(f.where(), f.text()));
            return reading.manifest().isPresent() ? null
                    : f.where() + ": marked as a capability manifest but refused: " + reading.diagnostics();
        }
        Path file = Files.writeString(dir.resolve("snippet-" + f.line() + ".rtfs"), f.text());
        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"check", "--load", MACROS, file.toString()},
                new PrintWriter(out, true), new PrintWriter(out, true));
        String shown = out.toString();
        if (f.marker().startsWith("rtfs invalid:")) {
            String code = f.marker().substring("rtfs invalid:".length()).strip();
            return exit == 1 && shown.contains("error[" + code + "]") ? null
                    : f.where() + ": marked invalid with " + code + " but check said (exit " + exit + "):\n" + shown;
        }
        return exit == 0 ? null : f.where() + ": check refused it (exit " + exit + "):\n" + shown;
    }

    static boolean isRtfs(DocFiles.Fence f) {
        return f.lang().equals("clojure") || f.lang().equals("rtfs");
    }

    @Test
    void everyRtfsSnippetInTheDocsIsCheckedAndInvalidOnesGiveTheirCode() throws IOException {
        List<DocFiles.Fence> snippets = DocFiles.allFences().stream().filter(DocsRtfsSnippetsTest::isRtfs).toList();
        assertThat(snippets).as("snippets in the spec").anyMatch(f -> f.file().contains("19-microvm"))
                .anyMatch(f -> f.marker().startsWith("rtfs invalid:"))
                .anyMatch(f -> f.file().contains("19-microvm") && f.marker().equals(CAPABILITY));
        List<String> problems = new ArrayList<>();
        for (DocFiles.Fence f : snippets) {
            String p = problem(f);
            if (p != null) problems.add(p);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aCapabilitySnippetThatDoesNotReadIsReported() throws IOException {
        String md = "<!-- rtfs capability -->\n```rtfs\n(capability :text.wordcount :effects [[:netwrok]] :entry \"run\")\n```\n";
        assertThat(problem(DocFiles.fences("doc.md", md).getFirst())).contains("refused").contains("ADMISSION_EFFECT_UNKNOWN");
    }

    @Test
    void aSnippetThatDoesNotGiveItsNamedCodeIsReported() throws IOException {
        String md = "<!-- rtfs invalid: MICROVM_VCPUS -->\n```clojure\n"
                + "(assoc-in (profile:microvm-min \"agent.rw\") [:microvm :rootfs :ro] false)\n```\n";
        DocFiles.Fence wrongCode = DocFiles.fences("doc.md", md).getFirst();
        assertThat(problem(wrongCode)).contains("marked invalid with MICROVM_VCPUS").contains("MICROVM_ROOTFS_RW");
        DocFiles.Fence unmarked = DocFiles.fences("doc.md", md.substring(md.indexOf("```"))).getFirst();
        assertThat(problem(unmarked)).contains("doc.md:2: check refused it");
    }
}
