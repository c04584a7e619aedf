package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.FieldType.Named;
import dev.rtfs.microvm.agentconfig.FieldType.Struct;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The validator's schema ({@link AgentConfigSchema}) as documentation: a markdown table of one top-level section and
 * the set of every field path. Docs render their schema tables from here (and tests compare them), so the spec never
 * retypes the schema by hand. A user-named map level (mounts, policies) appears as {@code <name>} in a path, a
 * domain-keyed one (client certificates, credentials) as {@code <domain>}, a vector of maps as {@code []}.
 */
public final class SchemaReference {
    private SchemaReference() {}

    /** One documented field: its dotted path from the top level, its type as CONFIG_TYPE names it, required or not. */
    public record Row(String path, String type, boolean required, boolean strict) {}

    /** Every field of the top-level section {@code section} (e.g. "microvm"), itself first, depth first. */
    public static List<Row> rows(String section) {
        MapSpec.Field top = AgentConfigSchema.ROOT.fields().get(section);
        if (top == null) throw new IllegalArgumentException("no top-level section :" + section);
        List<Row> rows = new ArrayList<>();
        walk(top, "", AgentConfigSchema.ROOT.strict(), rows);
        return rows;
    }

    /** Every field path of the schema ("microvm.rootfs.ro", "orchestrator.isolation.fs.mounts.<name>.mode", …). */
    public static Set<String> paths() {
        Set<String> paths = new LinkedHashSet<>();
        for (String section : AgentConfigSchema.ROOT.names()) {
            for (Row r : rows(section)) paths.add(r.path());
        }
        return paths;
    }

    /** The markdown table of {@code section}: path, type, required; the line a spec keeps between its markers. */
    public static String markdownTable(String section) {
        StringBuilder out = new StringBuilder();
        out.append("| field | type | required | unknown keys inside |\n");
        out.append("|---|---|---|---|\n");
        for (Row r : rows(section)) {
            out.append("| `:").append(r.path()).append("` | ").append(r.type()).append(" | ")
                    .append(r.required() ? "required" : "optional").append(" | ")
                    .append(r.type().startsWith("a map") ? (r.strict() ? "error" : "warning") : "")
                    .append(" |\n");
        }
        return out.toString();
    }

    private static void walk(MapSpec.Field field, String prefix, boolean parentStrict, List<Row> rows) {
        String path = prefix.isEmpty() ? field.name() : prefix + "." + field.name();
        MapSpec inner = inner(field.type());
        boolean strict = parentStrict || (inner != null && inner.strict());
        rows.add(new Row(path, field.type().describe(), field.required(), strict));
        if (inner == null) return;
        String below = switch (field.type()) {
            case Named n -> path + ".<name>";
            case FieldType.ByDomain b -> path + ".<domain>" + (b.value() instanceof FieldType.ListOfMaps ? "[]" : "");
            case FieldType.ListOfMaps l -> path + "[]";
            default -> path;
        };
        for (MapSpec.Field f : inner.fields().values()) walk(f, below, strict, rows);
    }

    private static MapSpec inner(FieldType type) {
        return switch (type) {
            case Struct s -> s.spec();
            case Named n -> n.spec();
            case FieldType.ByDomain b -> inner(b.value());
            case FieldType.ListOfMaps l -> l.spec();
            default -> null;
        };
    }
}
