package dev.rtfs.microvm.agentconfig.report;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.Span;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON report of {@code check} (schema: {@code /dev/rtfs/microvm/agentconfig/check-report.schema.json}):
 * {@code {"files":[{"file","valid","diagnostics":[{"severity","code","path","message","suggestion","file","line",
 * "column","via":[{"file","line","column"}]}]}]}}. line/column are 1-based; 0 means "no position".
 */
final class JsonRenderer {
    private JsonRenderer() {}

    static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public static String render(CheckReport report) {
        return MAPPER.writeValueAsString(tree(report)) + "\n";
    }

    /** The report as a JSON tree (for embedding in other documents). */
    public static JsonNode tree(CheckReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode files = root.putArray("files");
        for (FileReport f : report.files()) {
            ObjectNode file = files.addObject();
            file.put("file", f.file());
            file.put("valid", f.valid());
            ArrayNode diags = file.putArray("diagnostics");
            for (Diagnostic d : f.diagnostics()) {
                ObjectNode n = diags.addObject();
                n.put("severity", d.severity().label());
                n.put("code", d.code().name());
                n.put("path", d.path());
                n.put("message", d.message());
                n.put("suggestion", d.suggestion());
                position(n, d.span(), f.file());
                ArrayNode via = n.putArray("via");
                for (Span s : d.via()) position(via.addObject(), s, f.file());
            }
        }
        return root;
    }

    private static void position(ObjectNode n, Span span, String fallbackFile) {
        n.put("file", span.isKnown() ? span.source() : fallbackFile);
        n.put("line", Math.max(0, span.line()));
        n.put("column", Math.max(0, span.column()));
    }
}
