package dev.rtfs.microvm.orchestrator.plan;

import dev.rtfs.microvm.agentconfig.Suggestions;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.rtfslang.IntValue;
import dev.rtfs.microvm.rtfslang.KeywordValue;
import dev.rtfs.microvm.rtfslang.ListValue;
import dev.rtfs.microvm.rtfslang.MapValue;
import dev.rtfs.microvm.rtfslang.SetValue;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.StringValue;
import dev.rtfs.microvm.rtfslang.Value;
import dev.rtfs.microvm.rtfslang.VectorValue;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.orchestrator.effect.BareEffect;
import dev.rtfs.microvm.orchestrator.effect.Covering;
import dev.rtfs.microvm.orchestrator.effect.Effect;
import dev.rtfs.microvm.orchestrator.effect.EffectKind;
import dev.rtfs.microvm.orchestrator.effect.FsEffect;
import dev.rtfs.microvm.orchestrator.effect.FsMode;
import dev.rtfs.microvm.orchestrator.effect.LlmEffect;
import dev.rtfs.microvm.orchestrator.effect.NetworkEffect;
import dev.rtfs.microvm.orchestrator.effect.ParamSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads an effect row written as RTFS data: {@code [[:network {:domains [...]}] [:fs {...}] :clock]}.
 * Every problem becomes a diagnostic (ADMISSION_EFFECT_UNKNOWN for kinds outside the vocabulary, PLAN_SHAPE
 * for anything malformed) and the offending item is left out; nothing throws.
 */
public final class EffectSyntax {

    /** HTTP methods a :network effect may name. */
    public static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private static final Map<EffectKind, List<String>> PARAMETERS = Map.of(
            EffectKind.NETWORK, List.of("domains", "methods", "ports"),
            EffectKind.FS, List.of("paths", "modes"),
            EffectKind.LLM, List.of("models"));

    private EffectSyntax() {}

    public static List<DeclaredEffect> parseRow(Value row, String path, List<Diagnostic> out) {
        Optional<List<Value>> items = sequence(row);
        if (items.isEmpty()) {
            out.add(shape(path, ":effects must be a vector of effect items like [:network {...}], got a "
                    + row.typeName(), row.span()));
            return List.of();
        }
        List<DeclaredEffect> effects = new ArrayList<>();
        for (Value item : items.get()) parseItem(item, path, out).ifPresent(effects::add);
        return effects;
    }

    private static Optional<DeclaredEffect> parseItem(Value item, String path, List<Diagnostic> out) {
        Value kindValue;
        Value params = null;
        if (item instanceof KeywordValue) {
            kindValue = item;
        } else if (item instanceof VectorValue v && !v.items().isEmpty() && v.items().size() <= 2) {
            kindValue = v.items().get(0);
            if (v.items().size() == 2) params = v.items().get(1);
        } else {
            out.add(shape(path, "an effect item is [:kind] or [:kind {params}], got " + describe(item), item.span()));
            return Optional.empty();
        }
        if (!(kindValue instanceof KeywordValue kw)) {
            out.add(shape(path, "an effect kind is a keyword, got " + describe(kindValue), kindValue.span()));
            return Optional.empty();
        }
        Optional<EffectKind> kind = EffectKind.fromKeyword(kw.name());
        if (kind.isEmpty()) {
            List<String> names = Arrays.stream(EffectKind.values()).map(EffectKind::keyword).toList();
            String hint = Suggestions.didYouMean(kw.name(), names, ":");
            out.add(Diagnostic.error(AdmissionCode.ADMISSION_EFFECT_UNKNOWN, path + "." + kw.name(),
                    "unknown effect kind :" + kw.name(),
                    (hint.isEmpty() ? "" : hint + " ") + "known kinds: :" + String.join(" :", names), kw.span()));
            return Optional.empty();
        }
        String itemPath = path + "." + kind.get().keyword();
        MapValue map = MapValue.EMPTY;
        if (params != null) {
            if (!(params instanceof MapValue m)) {
                out.add(shape(itemPath, "effect parameters are a map, got " + describe(params), params.span()));
                return Optional.empty();
            }
            map = m;
        }
        return parseParams(kind.get(), map, itemPath, out).map(e -> DeclaredEffect.declared(e, item.span()));
    }

    private static Optional<Effect> parseParams(EffectKind kind, MapValue map, String path, List<Diagnostic> out) {
        List<String> allowed = PARAMETERS.getOrDefault(kind, List.of());
        int before = out.size();
        for (Value key : map.entries().keySet()) {
            if (!(key instanceof KeywordValue k) || !allowed.contains(k.name())) {
                String name = key instanceof KeywordValue k ? ":" + k.name() : describe(key);
                String help = allowed.isEmpty() ? ":" + kind.keyword() + " takes no parameters"
                        : key instanceof KeywordValue k2 ? Suggestions.didYouMean(k2.name(), allowed, ":") : "";
                if (help.isEmpty()) help = "parameters of :" + kind.keyword() + ": :" + String.join(" :", allowed);
                out.add(shape(path, "unknown parameter " + name + " for :" + kind.keyword(), help, key.span()));
            }
        }
        Effect effect = switch (kind) {
            case NETWORK -> new NetworkEffect(
                    param(map, "domains", path, out, EffectSyntax::domain, Covering.DOMAINS),
                    param(map, "methods", path, out, EffectSyntax::method, Covering.equality()),
                    param(map, "ports", path, out, EffectSyntax::port, Covering.equality()));
            case FS -> new FsEffect(
                    param(map, "paths", path, out, EffectSyntax::fsPath, Covering.PATHS),
                    param(map, "modes", path, out, EffectSyntax::mode, Covering.equality()));
            case LLM -> new LlmEffect(param(map, "models", path, out, EffectSyntax::model, Covering.equality()));
            default -> new BareEffect(kind);
        };
        return out.size() == before ? Optional.of(effect) : Optional.empty();
    }

    /** One element parser: the parsed value, or empty with a message about what was expected. */
    private record Parsed<T>(Optional<T> value, String expected) {
        static <T> Parsed<T> ok(T v) { return new Parsed<>(Optional.of(v), ""); }
        static <T> Parsed<T> bad(String expected) { return new Parsed<>(Optional.empty(), expected); }
    }

    private static <T extends Comparable<? super T>> ParamSet<T> param(
            MapValue map, String name, String path, List<Diagnostic> out, Function<Value, Parsed<T>> element,
            Covering<T> covering) {
        Value v = map.get(name);
        if (v == null) return ParamSet.any();
        String paramPath = path + "." + name;
        Optional<List<Value>> items = sequence(v);
        if (items.isEmpty()) {
            out.add(shape(paramPath, ":" + name + " must be a vector, got " + describe(v), v.span()));
            return ParamSet.any();
        }
        List<T> values = new ArrayList<>();
        for (Value item : items.get()) {
            Parsed<T> p = element.apply(item);
            if (p.value().isPresent()) values.add(p.value().get());
            else out.add(shape(paramPath, ":" + name + " entry " + describe(item) + " is not " + p.expected(), item.span()));
        }
        return ParamSet.of(values, covering);
    }

    private static Parsed<String> domain(Value v) {
        if (!(v instanceof StringValue s)) return Parsed.bad("a host name string");
        return Hosts.normalizePattern(s.value()).map(Parsed::ok)
                .orElseGet(() -> Parsed.bad("a host name or *.host pattern"));
    }

    private static Parsed<String> method(Value v) {
        String m = switch (v) {
            case KeywordValue k -> k.name();
            case StringValue s -> s.value();
            default -> null;
        };
        if (m == null) return Parsed.bad("an HTTP method keyword like :GET");
        String upper = m.toUpperCase(Locale.ROOT);
        return METHODS.contains(upper) ? Parsed.ok(upper) : Parsed.bad("an HTTP method: one of " + String.join(" ", METHODS.stream().sorted().toList()));
    }

    private static Parsed<Integer> port(Value v) {
        if (v instanceof IntValue i && i.value() >= 1 && i.value() <= 65535) return Parsed.ok((int) i.value());
        return Parsed.bad("a port number 1..65535");
    }

    private static Parsed<String> fsPath(Value v) {
        if (!(v instanceof StringValue s) || s.value().isEmpty()) return Parsed.bad("a path string");
        return Parsed.ok(Paths.normalize(s.value()));
    }

    private static Parsed<FsMode> mode(Value v) {
        if (v instanceof KeywordValue k) {
            Optional<FsMode> m = FsMode.fromKeyword(k.name());
            if (m.isPresent()) return Parsed.ok(m.get());
        }
        return Parsed.bad("one of :read :write :append");
    }

    private static Parsed<String> model(Value v) {
        return switch (v) {
            case StringValue s when !s.value().isEmpty() -> Parsed.ok(s.value());
            case KeywordValue k -> Parsed.ok(k.name());
            default -> Parsed.bad("a model name string");
        };
    }

    static Optional<List<Value>> sequence(Value v) {
        return switch (v) {
            case VectorValue vec -> Optional.of(vec.items());
            case ListValue l -> Optional.of(l.items());
            case SetValue s -> Optional.of(List.copyOf(s.items()));
            default -> Optional.empty();
        };
    }

    static String describe(Value v) {
        return switch (v) {
            case KeywordValue k -> ":" + k.name();
            case StringValue s -> "\"" + s.value() + "\"";
            case IntValue i -> Long.toString(i.value());
            default -> "a " + v.typeName();
        };
    }

    static Diagnostic shape(String path, String message, Span span) {
        return shape(path, message, "", span);
    }

    static Diagnostic shape(String path, String message, String suggestion, Span span) {
        return Diagnostic.error(AdmissionCode.PLAN_SHAPE, path, message, suggestion, span);
    }
}
