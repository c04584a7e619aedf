package dev.rtfs.microvm.agentconfig;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.rtfs.microvm.agentconfig.diag.DiagnosticCode;
import dev.rtfs.microvm.agentconfig.report.CheckReport;
import dev.rtfs.microvm.agentconfig.report.FileReport;
import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.Span;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The three output formats: JSON against the schema we publish, SARIF 2.1.0 shape, rustc-style text. */
class ReportRenderersTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A code no module owns, so the renderers are seen printing whatever code they are given. */
    private enum TestCode implements DiagnosticCode {
        X_CODE;

        @Override
        public String namespace() {
            return "test";
        }
    }

    private static CheckReport report(boolean warningsAsErrors) {
        return new CheckReport(List.of(
                FileReport.of(ConfigLoader.load(List.of(), Fixtures.doc(Fixtures.EXAMPLE)), warningsAsErrors),
                FileReport.of(Fixtures.check(ManyProblemsTest.MANY), warningsAsErrors),
                FileReport.of(Fixtures.checkWithMacros("(profile:microvm-networked \"agent.x\" [])"), warningsAsErrors),
                FileReport.of(Fixtures.check("(agent.config :version \"1"), warningsAsErrors)));
    }

    private static Schema schema() throws Exception {
        try (InputStream in = ReportRenderersTest.class.getResourceAsStream("/dev/rtfs/microvm/agentconfig/check-report.schema.json")) {
            assertThat(in).as("schema resource").isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    /**
     * User text in a diagnostic (message, path, help, file name, source line) cannot drive the terminal or reorder
     * the line: the text format shows control, C1 and bidi characters escaped; JSON keeps them as data (escaped
     * by JSON where JSON requires it).
     */
    @Test
    void textShowsControlC1AndBidiCharactersEscapedAndJsonKeepsThemAsData() throws Exception {
        String text = "{:k \"v\u202e\u2066\" :x 1}\n";
        SourceFile f = new SourceFile("c\u0085.rtfs", text);
        Diagnostic d = Diagnostic.error(TestCode.X_CODE, "k\u202e.x", "bad \u001b[31m\u009b31m\u202evalue", "use \u2066 not \u2028",
                new Span("c\u0085.rtfs", text.indexOf(":x"), 1, 13, text.indexOf(":x") + 2));
        CheckReport r = new CheckReport(List.of(FileReport.of(f.name(), List.of(d), Map.of(f.name(), f), false)));
        String out = ReportFormat.TEXT.render(r, false);
        assertThat(out).doesNotContain("\u001b", "\u009b", "\u202e", "\u2066", "\u2028", "\u0085").isEqualTo("""
                error[X_CODE]: bad \\u001b[31m\\u009b31m\\u202evalue
                 --> c\\u0085.rtfs:1:13
                  |
                1 | {:k "v\\u202e\\u2066" :x 1}
                  |                       ^^
                  = path: k\\u202e.x
                  = help: use \\u2066 not \\u2028

                invalid: c\\u0085.rtfs (1 error, 0 warnings)
                """);
        JsonNode json = JSON.readTree(ReportFormat.JSON.render(r, false));
        assertThat(json.get("files").get(0).get("diagnostics").get(0).get("message").asString())
                .isEqualTo("bad \u001b[31m\u009b31m\u202evalue");
    }

    @Test
    void jsonMatchesThePublishedSchema() throws Exception {
        String json = ReportFormat.JSON.render(report(false), false);
        List<Error> errors = schema().validate(json, InputFormat.JSON);
        assertThat(errors).isEmpty();
        JsonNode root = JSON.readTree(json);
        assertThat(root.get("files")).hasSize(4);
        JsonNode macroCase = root.get("files").get(2);
        assertThat(macroCase.get("valid").asBoolean()).isFalse();
        JsonNode allowlist = null;
        for (JsonNode d : macroCase.get("diagnostics")) {
            if (d.get("code").asString().equals("MICROVM_EGRESS_ALLOWLIST")) allowlist = d;
        }
        assertThat(allowlist).isNotNull();
        assertThat(allowlist.get("file").asString()).isEqualTo(Fixtures.MACROS);
        assertThat(allowlist.get("via").get(0).get("file").asString()).isEqualTo("call.rtfs");
        assertThat(allowlist.get("via").get(0).get("line").asInt()).isEqualTo(1);
        assertThat(root.get("files").get(3).get("diagnostics").get(0).get("code").asString()).isEqualTo("RTFS_SYNTAX");
    }

    @Test
    void theSchemaRejectsAMalformedReport() throws Exception {
        assertThat(schema().validate("{\"files\":[{\"file\":\"a\",\"valid\":\"yes\",\"diagnostics\":[]}]}", InputFormat.JSON))
                .isNotEmpty();
        assertThat(schema().validate("{\"files\":[{\"file\":\"a\",\"valid\":true,\"diagnostics\":[{\"severity\":\"fatal\"}]}]}",
                InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void jsonIsDeterministic() {
        assertThat(ReportFormat.JSON.render(report(false), false)).isEqualTo(ReportFormat.JSON.render(report(false), false));
    }

    @Test
    void warningsAsErrorsMakesTheExampleInvalid() {
        JsonNode root = JSON.readTree(ReportFormat.JSON.render(report(true), false));
        assertThat(root.get("files").get(0).get("valid").asBoolean()).isFalse();
        assertThat(report(true).valid()).isFalse();
    }

    @Test
    void sarifHasTheRequired210Properties() {
        CheckReport report = report(false);
        JsonNode sarif = JSON.readTree(ReportFormat.SARIF.render(report, false));
        assertThat(sarif.get("version").asString()).isEqualTo("2.1.0");
        assertThat(sarif.get("$schema").asString()).contains("sarif-2.1.0");
        JsonNode run = sarif.get("runs").get(0);
        JsonNode driver = run.get("tool").get("driver");
        assertThat(driver.get("name").asString()).isEqualTo("rtfs-microvm");
        List<String> ruleIds = new java.util.ArrayList<>();
        driver.get("rules").forEach(r -> ruleIds.add(r.get("id").asString()));
        assertThat(ruleIds).isSorted().doesNotHaveDuplicates().contains("MICROVM_EGRESS_ALLOWLIST", "RTFS_SYNTAX");
        long total = report.files().stream().mapToLong(f -> f.diagnostics().size()).sum();
        assertThat(run.get("results")).hasSize((int) total);
        for (JsonNode r : run.get("results")) {
            String ruleId = r.get("ruleId").asString();
            assertThat(ruleIds.get(r.get("ruleIndex").asInt())).isEqualTo(ruleId);
            assertThat(r.get("level").asString()).isIn("error", "warning");
            assertThat(r.get("message").get("text").asString()).isNotBlank();
            JsonNode physical = r.get("locations").get(0).get("physicalLocation");
            assertThat(physical.get("artifactLocation").get("uri").asString()).isNotBlank();
            assertThat(physical.get("region").get("startLine").asInt()).isPositive();
            assertThat(physical.get("region").get("startColumn").asInt()).isPositive();
        }
    }

    @Test
    void textIsRustcStyleWithSnippetPathHelpAndVia() {
        CheckReport report = new CheckReport(List.of(
                FileReport.of(Fixtures.checkWithMacros(";; x\n(profile:microvm-networked \"agent.x\" [])"), false)));
        String text = ReportFormat.TEXT.render(report, false);
        assertThat(text).contains("error[MICROVM_EGRESS_ALLOWLIST]: the NIC is enabled but :allow-domains is empty\n")
                .contains("--> " + Fixtures.MACROS + ":")
                .contains("(assoc-in [:network :egress :allow-domains] allowed-domains)")
                .contains("^^^^^^^^^^^^^^")
                .contains("= path: network.egress.allow-domains\n")
                .contains("= help: list the domains the agent may reach")
                .contains("= note: via call.rtfs:2:1\n")
                .contains("invalid: call.rtfs (1 error, 1 warning)")
                .doesNotContain("\u001b[");
        assertThat(ReportFormat.TEXT.render(report, true)).contains("\u001b[1;31merror[MICROVM_EGRESS_ALLOWLIST]");
    }

    @Test
    void textFoldsARecursiveCallStack() {
        String text = ReportFormat.TEXT.render(new CheckReport(List.of(
                FileReport.of(Fixtures.check("(defn f [] (f))\n(f)\n"), false))), false);
        assertThat(text).startsWith("error[RTFS_EVAL]: evaluation budget exhausted")
                .containsPattern("= note: via test.rtfs:1:12 \\(\\d+ times\\)\n")
                .contains("= note: via test.rtfs:2:1\n");
        assertThat(text.lines().count()).isLessThan(12);
    }

    @Test
    void sarifUrisAreEncoded() {
        assertThat(dev.rtfs.microvm.agentconfig.report.SarifRenderer.render(new CheckReport(List.of(
                FileReport.of(ConfigLoader.load(List.of(), new dev.rtfs.microvm.rtfslang.SourceFile("my dir/a b.rtfs", "[1]")), false)))))
                .contains("\"uri\" : \"my%20dir/a%20b.rtfs\"");
    }
}
