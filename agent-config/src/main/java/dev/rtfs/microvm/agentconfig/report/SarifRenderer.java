package dev.rtfs.microvm.agentconfig.report;

import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.Span;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SARIF 2.1.0: one run, {@code tool.driver.rules} = the codes that occur (sorted), one result per diagnostic with
 * ruleId = code, level, message.text, a physicalLocation (artifactLocation.uri + region.startLine/startColumn),
 * macro call sites as relatedLocations, and path/suggestion as properties.
 */
public final class SarifRenderer {
    private SarifRenderer() {}

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    public static String render(CheckReport report) {
        ObjectNode root = JsonRenderer.MAPPER.createObjectNode();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "rtfs-microvm");
        Map<String, Integer> ruleIndex = new TreeMap<>();
        Map<String, String> descriptions = new TreeMap<>();
        for (FileReport f : report.files()) {
            for (Diagnostic d : f.diagnostics()) {
                ruleIndex.put(d.code().name(), 0);
                descriptions.put(d.code().name(), d.code().description());
            }
        }
        ArrayNode rules = driver.putArray("rules");
        int i = 0;
        for (Map.Entry<String, Integer> e : ruleIndex.entrySet()) {
            e.setValue(i++);
            ObjectNode rule = rules.addObject();
            rule.put("id", e.getKey());
            rule.putObject("shortDescription").put("text", descriptions.get(e.getKey()));
        }
        ArrayNode results = run.putArray("results");
        for (FileReport f : report.files()) {
            for (Diagnostic d : f.diagnostics()) {
                ObjectNode r = results.addObject();
                r.put("ruleId", d.code().name());
                r.put("ruleIndex", ruleIndex.get(d.code().name()));
                r.put("level", d.isError() ? "error" : "warning");
                r.putObject("message").put("text", d.message());
                location(r.putArray("locations").addObject(), d.span(), f.file());
                if (!d.via().isEmpty()) {
                    ArrayNode related = r.putArray("relatedLocations");
                    int id = 0;
                    for (Span via : d.via()) {
                        ObjectNode loc = related.addObject();
                        loc.put("id", id++);
                        location(loc, via, f.file());
                        loc.putObject("message").put("text", "via this call");
                    }
                }
                ObjectNode props = r.putObject("properties");
                props.put("path", d.path());
                props.put("suggestion", d.suggestion());
            }
        }
        return JsonRenderer.MAPPER.writeValueAsString(root) + "\n";
    }

    private static void location(ObjectNode loc, Span span, String fallbackFile) {
        ObjectNode physical = loc.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(span.isKnown() ? span.source() : fallbackFile));
        if (span.isKnown()) {
            ObjectNode region = physical.putObject("region");
            region.put("startLine", span.line());
            region.put("startColumn", span.column());
        }
    }

    // SARIF wants URI references: relative paths with '/' separators, spaces and the like percent-encoded.
    static String uri(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/:".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
