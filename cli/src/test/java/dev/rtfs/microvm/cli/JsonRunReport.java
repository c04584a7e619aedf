package dev.rtfs.microvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rtfs.microvm.agentconfig.report.ReportFormat;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.supervisor.RunRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs a prepared request the way `run --format json --quiet` does and returns its report (the VM tests' one way). */
final class JsonRunReport {

    private JsonRunReport() {}

    static JsonNode of(RunRequest request, SourceFile config, SourceFile plan) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        RunCommand.execute(request, Map.of(config.name(), config, plan.name(), plan), ReportFormat.JSON,
                new PrintWriter(out, true), errWriter, Progress.of("test", true, errWriter));
        assertThat(out.toString()).as(err.toString()).startsWith("{");
        return JsonMapper.builder().build().readTree(out.toString());
    }
}
