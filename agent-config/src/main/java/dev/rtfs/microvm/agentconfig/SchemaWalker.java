package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.FieldType.ListOf;
import dev.rtfs.microvm.agentconfig.FieldType.Named;
import dev.rtfs.microvm.agentconfig.FieldType.Scalar;
import dev.rtfs.microvm.agentconfig.FieldType.Struct;
import dev.rtfs.microvm.agentconfig.diag.ConfigCode;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.BoolValue;
import dev.rtfs.microvm.rtfslang.FloatValue;
import dev.rtfs.microvm.rtfslang.IntValue;
import dev.rtfs.microvm.rtfslang.KeywordValue;
import dev.rtfs.microvm.rtfslang.ListValue;
import dev.rtfs.microvm.rtfslang.MapValue;
import dev.rtfs.microvm.rtfslang.PrintableText;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.StringValue;
import dev.rtfs.microvm.rtfslang.TaggedValue;
import dev.rtfs.microvm.rtfslang.Value;
import dev.rtfs.microvm.rtfslang.VectorValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks an evaluated config value against {@link AgentConfigSchema}: shape, key spellings, duplicates, unknown
 * keys, types and required fields. Reports every problem to {@code out} and returns what was well-typed.
 */
final class SchemaWalker implements ConfigPaths {

    static final String TAG = "agent.config";
    private static final java.util.Comparator<Map.Entry<Value, Value>> SOURCE_ORDER =
            java.util.Comparator.comparing((Map.Entry<Value, Value> e) -> e.getKey().span().source())
                    .thenComparingInt(e -> e.getKey().span().offset());
    private static final java.util.regex.Pattern AGENT_ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final List<Diagnostic> out;
    // canonical path -> path as written (aliases kept), so policy diagnostics name fields the way the user did.
    private final Map<String, String> writtenPaths = new LinkedHashMap<>();

    SchemaWalker(List<Diagnostic> out) {
        this.out = out;
    }

    // canonical paths of fields that were written but rejected (wrong type), so policy rules do not also call them missing.
    private final java.util.Set<String> rejected = new java.util.HashSet<>();

    /** True when the field at the canonical path, or a map around it, was written with the wrong type. */
    @Override public boolean rejected(String canonicalPath) {
        if (rejected.isEmpty()) return false;
        for (String p = canonicalPath; ; p = p.substring(0, p.lastIndexOf('.'))) {
            if (rejected.contains(p)) return true;
            if (p.indexOf('.') < 0) return false;
        }
    }

    /** The path as written for a canonical path; unwritten tails keep their canonical names. */
    @Override public String written(String canonicalPath) {
        if (writtenPaths.isEmpty()) return canonicalPath; // no alias anywhere: written = canonical
        String w = writtenPaths.get(canonicalPath);
        if (w != null) return w;
        int dot = canonicalPath.lastIndexOf('.');
        return dot < 0 ? canonicalPath : written(canonicalPath.substring(0, dot)) + canonicalPath.substring(dot);
    }

    /** The checked root, or null when the value is not an agent config at all. */
    CheckedMap walkRoot(Value value) {
        List<Map.Entry<Value, Value>> entries;
        switch (value) {
            case TaggedValue t when t.tag().equals(TAG) -> entries = t.args().isEmpty() ? entriesOf(t.map()) : pairs(t);
            case MapValue m -> entries = entriesOf(m);
            default -> {
                out.add(Diagnostic.error(ConfigCode.CONFIG_NOT_AGENT_CONFIG, "",
                        "expected an agent config, found " + value.typeName(),
                        "make the file's last form (agent.config :version \"1\" :agent-id \"...\" ...) or a map",
                        value.span()));
                return null;
            }
        }
        return walkMap(entries, "", "", AgentConfigSchema.ROOT, false, value.span(), value.span());
    }

    // (agent.config k v ...) as written: report an odd count and keep the complete pairs.
    private List<Map.Entry<Value, Value>> pairs(TaggedValue t) {
        List<Value> args = t.args();
        List<Map.Entry<Value, Value>> entries = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i += 2) entries.add(Map.entry(args.get(i), args.get(i + 1)));
        if (args.size() % 2 == 1) {
            Value dangling = args.getLast();
            out.add(Diagnostic.error(ConfigCode.CONFIG_SHAPE, dangling instanceof KeywordValue k ? k.name() : "",
                    "agent.config takes key/value pairs, but " + describe(dangling) + " has no value",
                    "add the missing value or remove the key", dangling.span()));
        }
        return entries;
    }

    private static List<Map.Entry<Value, Value>> entriesOf(MapValue m) {
        return new ArrayList<>(m.entries().entrySet());
    }

    private CheckedMap walkMap(List<Map.Entry<Value, Value>> entries, String path, String canonicalPath, MapSpec spec,
                               boolean strict, Span keySpan, Span span) {
        Map<String, CheckedMap.Entry> accepted = new LinkedHashMap<>();
        Map<String, KeywordValue> seen = new java.util.HashMap<>(); // canonical name -> first key written for it
        // Source order, so that "the second spelling" is the one written later.
        if (entries.size() > 1) entries.sort(SOURCE_ORDER);
        for (Map.Entry<Value, Value> e : entries) {
            Value key = e.getKey();
            if (!(key instanceof KeywordValue kw)) {
                out.add(Diagnostic.error(ConfigCode.CONFIG_SHAPE, path,
                        "map keys must be keywords, found " + describe(key),
                        "write the key as a keyword, e.g. :" + suggestKeyword(key), key.span()));
                continue;
            }
            String name = kw.name();
            String childPath = join(path, name);
            String canonical = spec.canonical(name);
            if (canonical == null) {
                unknownKey(kw, childPath, path, spec, strict);
                continue;
            }
            KeywordValue first = seen.putIfAbsent(canonical, kw);
            if (first != null) {
                out.add(Diagnostic.error(ConfigCode.CONFIG_DUPLICATE_KEY, childPath,
                        "key :" + name + " is given twice (" + (first.name().equals(name) ? "first" : "also written as :"
                                + first.name()) + " at " + first.span().location() + ")",
                        "keep one :" + canonical + " entry", kw.span()));
                continue;
            }
            String canonicalChild = join(canonicalPath, canonical);
            if (!childPath.equals(canonicalChild)) writtenPaths.put(canonicalChild, childPath);
            if (!name.equals(canonical)) {
                out.add(Diagnostic.warning(ConfigCode.CONFIG_KEY_ALIAS, childPath,
                        ":" + name + " is an alias; the canonical spelling is :" + canonical,
                        "write :" + canonical, kw.span()));
            }
            CheckedMap.Entry checked =
                    check(spec.fields().get(canonical), e.getValue(), childPath, canonicalChild, kw.span(), strict);
            if (checked != null) accepted.put(canonical, checked);
        }
        for (MapSpec.Field f : spec.fields().values()) {
            if (f.required() && !seen.containsKey(f.name())) {
                String where = path.isEmpty() ? "the agent config" : ":" + path;
                out.add(Diagnostic.error(ConfigCode.CONFIG_REQUIRED, join(path, f.name()),
                        "required field :" + f.name() + " is missing in " + where,
                        "add :" + f.name() + " " + example(f.type()), keySpan));
            }
        }
        return new CheckedMap(accepted, keySpan, span);
    }

    private void unknownKey(KeywordValue kw, String childPath, String path, MapSpec spec, boolean strict) {
        String where = path.isEmpty() ? "at the top level" : "in :" + path;
        String suggestion = Suggestions.closest(kw.name(), spec.names())
                .map(s -> "did you mean :" + s + "?")
                .orElse("known keys here: " + spec.names().stream().map(n -> ":" + n).collect(Collectors.joining(" ")));
        String message = "unknown key :" + abbreviate(kw.name()) + " " + where
                + (strict ? " (a typo here can silently weaken isolation)" : "");
        out.add(strict
                ? Diagnostic.error(ConfigCode.CONFIG_UNKNOWN_KEY, childPath, message, suggestion, kw.span())
                : Diagnostic.warning(ConfigCode.CONFIG_UNKNOWN_KEY, childPath, message, suggestion, kw.span()));
    }

    private CheckedMap.Entry check(MapSpec.Field field, Value v, String path, String canonicalPath, Span keySpan,
                                   boolean strict) {
        return switch (field.type()) {
            case Scalar s -> {
                if (!scalarOk(s, v)) { typeError(path, s, v); rejected.add(canonicalPath); yield null; }
                if (canonicalPath.equals("agent-id") && !AGENT_ID.matcher(((StringValue) v).value()).matches()) {
                    out.add(Diagnostic.error(ConfigCode.CONFIG_TYPE, path,
                            "agent-id \"" + abbreviate(((StringValue) v).value()) + "\" must match [a-z0-9][a-z0-9._-]{0,62}",
                            "use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
                            v.span()));
                    rejected.add(canonicalPath);
                    yield null;
                }
                yield new CheckedMap.Entry(keySpan, v, null, null);
            }
            case FieldType.Enum en -> {
                if (v instanceof KeywordValue k && en.keywords().contains(k.name())) {
                    yield new CheckedMap.Entry(keySpan, v, null, null);
                }
                String suggestion = switch (v) {
                    case KeywordValue k -> Suggestions.closest(k.name(), en.keywords())
                            .map(s -> "did you mean :" + s + "?").orElse("use " + en.describe());
                    case StringValue s when en.keywords().contains(s.value()) ->
                            "write :" + s.value() + " (a keyword, not a string)";
                    default -> "use " + en.describe();
                };
                out.add(Diagnostic.error(ConfigCode.CONFIG_TYPE, path,
                        "expected " + en.describe() + ", found " + describe(v), suggestion, v.span()));
                rejected.add(canonicalPath);
                yield null;
            }
            case ListOf l -> {
                if (!(v instanceof VectorValue || v instanceof ListValue)) { typeError(path, l, v); rejected.add(canonicalPath); yield null; }
                List<Value> good = new ArrayList<>();
                for (Value item : CheckedMap.items(v)) {
                    if (scalarOk(l.element(), item)) good.add(item);
                    else { typeError(path, l.element(), item); rejected.add(canonicalPath); }
                }
                yield new CheckedMap.Entry(keySpan, new VectorValue(good, v.span(), v.meta()), null, null);
            }
            case Struct st -> {
                if (!(v instanceof MapValue m)) { typeError(path, st, v); rejected.add(canonicalPath); yield null; }
                CheckedMap inner = walkMap(entriesOf(m), path, canonicalPath, st.spec(), strict || st.spec().strict(),
                        keySpan, v.span());
                yield new CheckedMap.Entry(keySpan, null, inner, null);
            }
            case Named n -> {
                if (!(v instanceof MapValue m)) { typeError(path, n, v); rejected.add(canonicalPath); yield null; }
                Map<String, CheckedMap> named = new LinkedHashMap<>();
                for (Map.Entry<Value, Value> e : m.entries().entrySet()) {
                    if (!(e.getKey() instanceof KeywordValue k)) {
                        out.add(Diagnostic.error(ConfigCode.CONFIG_SHAPE, path,
                                "names in :" + path + " must be keywords, found " + describe(e.getKey()),
                                "write the name as a keyword, e.g. :" + suggestKeyword(e.getKey()), e.getKey().span()));
                        continue;
                    }
                    String childPath = join(path, k.name());
                    String canonicalChild = join(canonicalPath, k.name());
                    if (!childPath.equals(canonicalChild)) writtenPaths.put(canonicalChild, childPath);
                    if (!(e.getValue() instanceof MapValue inner)) {
                        out.add(Diagnostic.error(ConfigCode.CONFIG_TYPE, childPath,
                                "expected a map, found " + describe(e.getValue()), "write {" + example(n) + "}",
                                e.getValue().span()));
                        rejected.add(canonicalChild);
                        continue;
                    }
                    named.put(k.name(), walkMap(entriesOf(inner), childPath, canonicalChild, n.spec(), strict || n.spec().strict(),
                            k.span(), inner.span()));
                }
                yield new CheckedMap.Entry(keySpan, v, null, named);
            }
            case FieldType.ListOfMaps lm -> {
                List<CheckedMap> items = maps(lm, v, path, canonicalPath, strict);
                yield items == null ? null
                        : new CheckedMap.Entry(keySpan, v, null, null, List.of(new CheckedMap.Keyed("", keySpan, items)));
            }
            case FieldType.ByDomain b -> {
                if (!(v instanceof MapValue m)) { typeError(path, b, v); rejected.add(canonicalPath); yield null; }
                List<CheckedMap.Keyed> keyed = new ArrayList<>();
                List<Map.Entry<Value, Value>> entries = entriesOf(m);
                if (entries.size() > 1) entries.sort(SOURCE_ORDER);
                for (Map.Entry<Value, Value> e : entries) {
                    if (!(e.getKey() instanceof StringValue domain)) {
                        out.add(Diagnostic.error(ConfigCode.CONFIG_SHAPE, path,
                                "domains in :" + path + " must be strings, found " + describe(e.getKey()),
                                "write the domain as a string, e.g. \"api.example.com\"", e.getKey().span()));
                        continue;
                    }
                    // The domain is quoted in paths: its dots are not nesting.
                    String childPath = path + ".\"" + domain.value() + "\"";
                    List<CheckedMap> items = maps(b.value(), e.getValue(), childPath, canonicalPath + ".<domain>", strict);
                    if (items != null) keyed.add(new CheckedMap.Keyed(domain.value(), domain.span(), items));
                }
                yield new CheckedMap.Entry(keySpan, v, null, null, keyed);
            }
        };
    }

    /** A map value (one checked map) or a vector of maps (one per item); null, reported, when the shape is wrong. */
    private List<CheckedMap> maps(FieldType type, Value v, String path, String canonicalPath, boolean strict) {
        switch (type) {
            case Struct st -> {
                if (!(v instanceof MapValue m)) { typeError(path, st, v); rejected.add(canonicalPath); return null; }
                return List.of(walkMap(entriesOf(m), path, canonicalPath, st.spec(), strict || st.spec().strict(),
                        v.span(), v.span()));
            }
            case FieldType.ListOfMaps lm -> {
                if (!(v instanceof VectorValue || v instanceof ListValue)) {
                    typeError(path, lm, v);
                    rejected.add(canonicalPath);
                    return null;
                }
                List<CheckedMap> items = new ArrayList<>();
                for (Value item : CheckedMap.items(v)) {
                    if (item instanceof MapValue m) {
                        items.add(walkMap(entriesOf(m), path, canonicalPath, lm.spec(), strict || lm.spec().strict(),
                                item.span(), item.span()));
                    } else {
                        out.add(Diagnostic.error(ConfigCode.CONFIG_TYPE, path, "expected a map, found " + describe(item),
                                "write {" + example(lm).substring(2, example(lm).length() - 2) + "}", item.span()));
                        rejected.add(canonicalPath);
                    }
                }
                return items;
            }
            default -> throw new IllegalStateException("not a map type: " + type);
        }
    }

    private static boolean scalarOk(Scalar s, Value v) {
        return switch (s) {
            case STRING -> v instanceof StringValue;
            case BOOL -> v instanceof BoolValue;
            case INT -> v instanceof IntValue;
            case NUMBER -> v instanceof IntValue || v instanceof FloatValue;
            case KEYWORD -> v instanceof KeywordValue;
            case KEYWORD_OR_STRING -> v instanceof KeywordValue || v instanceof StringValue;
        };
    }

    private void typeError(String path, FieldType expected, Value v) {
        String suggestion = switch (v) {
            case StringValue s when expected == Scalar.BOOL && (s.value().equals("true") || s.value().equals("false")) ->
                    "write " + s.value() + " without quotes";
            case StringValue s when expected == Scalar.INT && s.value().matches("-?[0-9]{1,18}") ->
                    "write " + s.value() + " without quotes";
            case FloatValue f when expected == Scalar.INT && f.value() == Math.rint(f.value()) && Math.abs(f.value()) < 1e15 ->
                    "write " + (long) f.value() + " (an integer)";
            default -> "use " + expected.describe() + ", e.g. " + example(expected);
        };
        out.add(Diagnostic.error(ConfigCode.CONFIG_TYPE, path,
                "expected " + expected.describe() + ", found " + describe(v), suggestion, v.span()));
    }

    static String describe(Value v) {
        return switch (v) {
            case KeywordValue k -> "keyword :" + k.name();
            case StringValue s -> "string \"" + abbreviate(s.value()) + "\"";
            case IntValue i -> "integer " + i.value();
            case BoolValue b -> "boolean " + b.value();
            default -> v.typeName();
        };
    }

    /** At most 40 characters of user text in a message, control characters escaped. */
    static String abbreviate(String s) {
        return PrintableText.of(s.length() <= 40 ? s : s.substring(0, 37) + "...");
    }

    private static String suggestKeyword(Value key) {
        return switch (key) {
            case StringValue s when s.value().matches("[A-Za-z][A-Za-z0-9_.-]*") -> s.value();
            case dev.rtfs.microvm.rtfslang.SymbolValue s -> s.name();
            default -> "name";
        };
    }

    static String example(FieldType t) {
        return switch (t) {
            case Scalar s -> switch (s) {
                case STRING -> "\"...\"";
                case BOOL -> "true";
                case INT, NUMBER -> "1";
                case KEYWORD, KEYWORD_OR_STRING -> ":name";
            };
            case FieldType.Enum e -> ":" + e.keywords().getFirst();
            case ListOf l -> "[" + example(l.element()) + "]";
            case Struct s -> "{...}";
            case Named n -> ":name {...}";
            case FieldType.ByDomain b -> "{\"api.example.com\" " + example(b.value()) + "}";
            case FieldType.ListOfMaps l -> "[{" + l.spec().names().stream().filter(n -> l.spec().fields().get(n).required())
                    .map(n -> ":" + n + " " + example(l.spec().fields().get(n).type())).collect(Collectors.joining(" ")) + "}]";
        };
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
