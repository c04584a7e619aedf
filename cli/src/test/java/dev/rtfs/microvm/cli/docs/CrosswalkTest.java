package dev.rtfs.microvm.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.SchemaReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.DiagnosticCode;
import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.kubernetes.KubernetesCode;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.vmm.SynthCode;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spec's acceptance crosswalk names only real things: config fields of the validator's schema, diagnostic codes the
 * product emits, and test methods that exist in the repository's test sources.
 */
class CrosswalkTest {

    record Row(String acceptance, List<String> fields, List<String> codes, List<String> tests) {}

    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    /** Every stable code the product can raise: one enum per namespace. */
    private static final Set<String> CODES = Stream.of(RtfsCode.values(), ConfigCode.values(), SynthCode.values(),
            AdmissionCode.values(), KubernetesCode.values()).flatMap(Stream::of).map(DiagnosticCode::name).collect(Collectors.toSet());
    private static List<Path> testSources;

    @BeforeAll
    static void readSources() throws IOException {
        List<Path> tests = new ArrayList<>();
        try (Stream<Path> s = Files.walk(DocFiles.ROOT)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/")).toList()) {
                if (p.toString().contains("/src/test/")) tests.add(p);
            }
        }
        testSources = tests;
    }

    static List<Row> rows(String spec) {
        int start = spec.indexOf("## 14. Acceptance crosswalk");
        assertThat(start).as("the crosswalk section").isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (String line : spec.substring(start).split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| acceptance")) continue;
            String[] cells = line.split("(?<!\\\\)\\|");
            if (cells.length < 6) continue;
            rows.add(new Row(cells[1].strip(), ticked(cells[2]), ticked(cells[3]), ticked(cells[5])));
        }
        return rows;
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** What is wrong with the rows: unknown fields, codes and tests, one line each. */
    static List<String> problems(List<Row> rows) throws IOException {
        Set<String> paths = SchemaReference.paths();
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            for (String f : r.fields()) {
                if (!f.startsWith(":") || !paths.contains(f.substring(1))) out.add(r.acceptance() + ": no field " + f);
            }
            for (String c : r.codes()) {
                if (!CODES.contains(c)) out.add(r.acceptance() + ": no code " + c);
            }
            for (String t : r.tests()) {
                if (!testExists(t)) out.add(r.acceptance() + ": no test " + t);
            }
            if (r.tests().isEmpty()) out.add(r.acceptance() + ": names no test");
        }
        return out;
    }

    private static boolean testExists(String ref) throws IOException {
        String[] parts = ref.split("#");
        if (parts.length != 2) return false;
        for (Path p : testSources) {
            if (p.getFileName().toString().equals(parts[0] + ".java")
                    && Pattern.compile("void\\s+" + Pattern.quote(parts[1]) + "\\s*\\(").matcher(Files.readString(p)).find()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyFieldCodeAndTestTheCrosswalkNamesExists() throws IOException {
        List<Row> rows = rows(DocFilesText.read(DocFiles.SPEC));
        assertThat(rows).extracting(Row::acceptance)
                .contains("RO rootfs", "proxy egress", "vsock / control plane", "DLP strict", "FS ephemeral", "RO capabilities");
        assertThat(rows).allMatch(r -> !r.fields().isEmpty());
        assertThat(problems(rows)).isEmpty();
    }

    @Test
    void aMisspelledFieldCodeOrTestIsReported() throws IOException {
        String spec = DocFilesText.read(DocFiles.SPEC)
                .replace("`:microvm.rootfs.ro`", "`:microvm.rootfs.readonly`")
                .replace("`DLP_NOT_STRICT`", "`DLP_NOT_STRIKT`")
                .replace("PlanExecutorTest#aRestartedRunSkipsWhatTheJournalHasCompleted", "PlanExecutorTest#gone");
        assertThat(problems(rows(spec))).containsExactlyInAnyOrder("RO rootfs: no field :microvm.rootfs.readonly",
                "DLP strict: no code DLP_NOT_STRIKT", "FS ephemeral: no test PlanExecutorTest#gone");
    }
}
