package dev.rtfs.microvm.orchestrator.plan;

import static dev.rtfs.microvm.orchestrator.plan.EffectSyntax.describe;
import static dev.rtfs.microvm.orchestrator.plan.EffectSyntax.shape;

import dev.rtfs.microvm.agentconfig.Suggestions;
import dev.rtfs.microvm.agentconfig.diag.Diagnostic;
import dev.rtfs.microvm.agentconfig.diag.RtfsCode;
import dev.rtfs.microvm.orchestrator.AdmissionCode;
import dev.rtfs.microvm.rtfslang.IntValue;
import dev.rtfs.microvm.rtfslang.KeywordValue;
import dev.rtfs.microvm.rtfslang.ListValue;
import dev.rtfs.microvm.rtfslang.MapValue;
import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.RtfsReader;
import dev.rtfs.microvm.rtfslang.SourceFile;
import dev.rtfs.microvm.rtfslang.SetValue;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.StringValue;
import dev.rtfs.microvm.rtfslang.SymbolValue;
import dev.rtfs.microvm.rtfslang.Value;
import dev.rtfs.microvm.rtfslang.VectorValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a plan from RTFS forms as data (a plan is never evaluated):
 * {@code (plan ^{:effects … :resources … :determinism …} :program (do (step "name" ^{:effects …} body) …))}.
 * Steps may sit inside nested {@code do}/{@code let}/{@code if} forms; they are numbered in source order.
 * The plan metadata may also be written on the plan form itself ({@code ^{…} (plan …)}); step metadata on
 * the step form, its name or its first body form. Problems are diagnostics with positions, never exceptions.
 */
public final class PlanReader {

    private static final List<String> PLAN_META = List.of("effects", "resources", "determinism");
    private static final List<String> STEP_META = List.of("effects", "resources");
    private static final List<String> RESOURCES = List.of("max_time_ms");
    private static final List<String> DETERMINISM = List.of("time", "random");

    private final List<Diagnostic> out = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final Set<String> stepNames = new HashSet<>();

    private PlanReader() {}

    /** Reads a plan file: an RTFS syntax error becomes one RTFS_SYNTAX diagnostic. */
    public static PlanReading read(SourceFile file) {
        List<Value> forms;
        try {
            forms = RtfsReader.readAll(file);
        } catch (RtfsException e) {
            return new PlanReading(Optional.empty(),
                    List.of(Diagnostic.error(RtfsCode.of(e), "", e.getMessage(), "", e.span())));
        }
        return read(forms, file.name());
    }

    /** Reads the forms of one plan file ({@code source} is the file name used for messages). */
    public static PlanReading read(List<Value> forms, String source) {
        return new PlanReader().readForms(forms, source);
    }

    private PlanReading readForms(List<Value> forms, String source) {
        Span fileSpan = new Span(source, 0, 1, 1, 0);
        if (forms.isEmpty()) {
            out.add(shape("plan", "the file holds no (plan …) form", "write (plan ^{:effects [...]} :program (do (step \"name\" ...)))", fileSpan));
            return done(Optional.empty());
        }
        for (int i = 1; i < forms.size(); i++) {
            out.add(shape("plan", "a plan file holds exactly one (plan …) form; found another " + forms.get(i).typeName(),
                    "move the extra form into the plan's :program", forms.get(i).span()));
        }
        Value form = forms.get(0);
        if (!(form instanceof ListValue list) || list.items().isEmpty()
                || !(list.items().get(0) instanceof SymbolValue head) || !head.name().equals("plan")) {
            out.add(shape("plan", "expected a (plan …) form, got " + describe(form), form.span()));
            return done(Optional.empty());
        }
        return done(Optional.of(readPlan(list, source)));
    }

    private PlanReading done(Optional<Plan> plan) {
        List<Diagnostic> sorted = new ArrayList<>(out);
        sorted.sort(Diagnostic.ORDER);
        return new PlanReading(plan, sorted);
    }

    private Plan readPlan(ListValue form, String source) {
        List<Value> args = form.items().subList(1, form.items().size());
        Map<String, Value> meta = new LinkedHashMap<>();
        collectMeta(form, "plan", meta);
        if (!args.isEmpty()) collectMeta(args.get(0), "plan", meta);
        checkKeys(meta, PLAN_META, "plan", "plan metadata");

        Value program = null;
        if (args.size() % 2 != 0) {
            out.add(shape("plan", "plan arguments are :key value pairs; the last key has no value",
                    "write (plan ^{...} :program (do ...))", args.get(args.size() - 1).span()));
        }
        for (int i = 0; i + 1 < args.size(); i += 2) {
            Value key = args.get(i);
            if (key instanceof KeywordValue k && k.name().equals("program")) {
                if (program != null) out.add(shape("plan.program", "the plan has more than one :program", key.span()));
                else program = args.get(i + 1);
            } else {
                String hint = key instanceof KeywordValue k ? Suggestions.didYouMean(k.name(), List.of("program"), ":") : "";
                out.add(shape("plan", "unknown plan argument " + describe(key), (hint.isEmpty() ? "" : hint + " ")
                        + "a plan takes :program; write :effects, :resources and :determinism as metadata ^{...} before :program",
                        key.span()));
            }
        }
        if (program == null) {
            out.add(shape("plan.program", "the plan has no :program", "add :program (do (step \"name\" ...) ...)", form.span()));
        }

        List<DeclaredEffect> effects = meta.containsKey("effects")
                ? EffectSyntax.parseRow(meta.get("effects"), "plan.effects", out) : List.of();
        OptionalLong maxTime = meta.containsKey("resources") ? resources(meta.get("resources"), "plan.resources") : OptionalLong.empty();
        Determinism determinism = meta.containsKey("determinism") ? determinism(meta.get("determinism")) : Determinism.REAL;

        if (program != null) walk(program, false);
        if (program != null && steps.isEmpty() && out.stream().noneMatch(d -> d.path().startsWith("steps"))) {
            out.add(shape("plan.program", "the program has no (step \"name\" …) forms", program.span()));
        }
        return new Plan(source, form.span(), effects, maxTime, determinism, steps);
    }

    /** Finds the steps of a program (or the calls of a step body, when {@code inStep}). */
    private void walk(Value form, boolean inStep) {
        walk(form, inStep, null);
    }

    private void walk(Value form, boolean inStep, List<CallSite> calls) {
        switch (form) {
            case ListValue list when !list.items().isEmpty() && list.items().get(0) instanceof SymbolValue s -> {
                switch (s.name()) {
                    case "quote" -> { }
                    case "step" -> {
                        if (inStep) out.add(shape("steps", "steps cannot be nested inside another step", list.span()));
                        else readStep(list);
                    }
                    case "call" -> {
                        if (calls != null) calls.add(callSite(list));
                        else out.add(shape("plan.program", "(call …) outside a step: every call must belong to a step",
                                "wrap it in (step \"name\" …)", list.span()));
                    }
                    default -> list.items().forEach(v -> walk(v, inStep, calls));
                }
            }
            case ListValue list -> list.items().forEach(v -> walk(v, inStep, calls));
            case VectorValue vec -> vec.items().forEach(v -> walk(v, inStep, calls));
            case SetValue set -> set.items().forEach(v -> walk(v, inStep, calls));
            case MapValue map -> map.entries().forEach((k, v) -> {
                walk(k, inStep, calls);
                walk(v, inStep, calls);
            });
            default -> { }
        }
    }

    private CallSite callSite(ListValue list) {
        List<Value> items = list.items();
        Optional<String> capability = items.size() > 1 && items.get(1) instanceof KeywordValue k
                ? Optional.of(k.name()) : Optional.empty();
        Optional<Value> args = items.size() > 2 ? Optional.of(items.get(2)) : Optional.empty();
        return new CallSite(capability, args, Math.max(0, items.size() - 2), list.span());
    }

    private void readStep(ListValue form) {
        List<Value> items = form.items();
        int index = steps.size();
        String name;
        Span nameSpan;
        if (items.size() < 2 || !(items.get(1) instanceof StringValue s) || s.value().isBlank()) {
            Value bad = items.size() < 2 ? form : items.get(1);
            out.add(shape("steps", "a step is (step \"name\" body…); its name must be a non-empty string, got "
                    + (items.size() < 2 ? "nothing" : describe(bad)), bad.span()));
            name = "#" + index;
            nameSpan = bad.span();
        } else {
            name = s.value();
            nameSpan = s.span();
        }
        String path = "steps." + name;
        if (!stepNames.add(name)) {
            out.add(shape(path, "duplicate step name \"" + name + "\"", "give every step a unique name", nameSpan));
        }
        List<Value> body = items.size() > 2 ? items.subList(2, items.size()) : List.of();
        if (body.isEmpty()) out.add(shape(path, "step \"" + name + "\" has no body", form.span()));

        Map<String, Value> meta = new LinkedHashMap<>();
        collectMeta(form, path, meta);
        if (items.size() > 1) collectMeta(items.get(1), path, meta);
        if (!body.isEmpty()) collectMeta(body.get(0), path, meta);
        checkKeys(meta, STEP_META, path, "step metadata");

        boolean annotated = meta.containsKey("effects");
        List<DeclaredEffect> declared = annotated
                ? EffectSyntax.parseRow(meta.get("effects"), path + ".effects", out) : List.of();
        OptionalLong maxTime = meta.containsKey("resources") ? resources(meta.get("resources"), path + ".resources") : OptionalLong.empty();
        List<CallSite> calls = new ArrayList<>();
        for (Value b : body) walk(b, true, calls);
        steps.add(new Step(name, index, form.span(), nameSpan, annotated, declared, calls, maxTime));
    }

    /** Adds the metadata entries of {@code v}; a key given twice (in two places) is a shape error. */
    private void collectMeta(Value v, String path, Map<String, Value> into) {
        MapValue meta = v.meta();
        if (meta == null) return;
        for (Map.Entry<Value, Value> e : meta.entries().entrySet()) {
            if (!(e.getKey() instanceof KeywordValue k)) {
                out.add(shape(path, "metadata keys are keywords, got " + describe(e.getKey()), e.getKey().span()));
                continue;
            }
            if (into.containsKey(k.name())) {
                out.add(shape(path + "." + k.name(), ":" + k.name() + " is given twice", k.span()));
                continue;
            }
            into.put(k.name(), e.getValue());
        }
    }

    private void checkKeys(Map<String, Value> meta, List<String> known, String path, String what) {
        for (Map.Entry<String, Value> e : meta.entrySet()) {
            if (known.contains(e.getKey())) continue;
            String hint = Suggestions.didYouMean(e.getKey(), known, ":");
            out.add(shape(path + "." + e.getKey(), "unknown " + what + " key :" + e.getKey(),
                    hint.isEmpty() ? "known keys: :" + String.join(" :", known) : hint, e.getValue().span()));
        }
    }

    private OptionalLong resources(Value v, String path) {
        if (!(v instanceof MapValue map)) {
            out.add(shape(path, ":resources must be a map like {:max_time_ms 30000}, got " + describe(v), v.span()));
            return OptionalLong.empty();
        }
        OptionalLong maxTime = OptionalLong.empty();
        for (Map.Entry<Value, Value> e : map.entries().entrySet()) {
            String key = e.getKey() instanceof KeywordValue k ? k.name() : "";
            if (!RESOURCES.contains(key)) {
                String hint = Suggestions.didYouMean(key, RESOURCES, ":");
                out.add(Diagnostic.warning(AdmissionCode.PLAN_SHAPE, path + "." + key, "unknown resource " + describe(e.getKey()) + " is ignored",
                        hint.isEmpty() ? "known resources: :max_time_ms" : hint, e.getKey().span()));
                continue;
            }
            if (e.getValue() instanceof IntValue i && i.value() > 0) maxTime = OptionalLong.of(i.value());
            else out.add(shape(path + "." + key, ":max_time_ms must be a positive integer, got " + describe(e.getValue()),
                    e.getValue().span()));
        }
        return maxTime;
    }

    private Determinism determinism(Value v) {
        String path = "plan.determinism";
        if (!(v instanceof MapValue map)) {
            out.add(shape(path, ":determinism must be a map like {:time :deterministic :random {:seed \"0x2a\"}}, got "
                    + describe(v), v.span()));
            return Determinism.REAL;
        }
        Determinism.Mode time = Determinism.Mode.REAL;
        Determinism.Mode random = Determinism.Mode.REAL;
        Optional<String> seed = Optional.empty();
        OptionalLong startMs = OptionalLong.empty();
        for (Map.Entry<Value, Value> e : map.entries().entrySet()) {
            String key = e.getKey() instanceof KeywordValue k ? k.name() : "";
            Value val = e.getValue();
            switch (key) {
                case "time" -> {
                    if (val instanceof MapValue t) {
                        time = Determinism.Mode.DETERMINISTIC;
                        OptionalLong given = startMs(t, path + ".time");
                        if (given.isPresent()) startMs = given;
                    } else {
                        time = mode(val, path + ".time").orElse(time);
                    }
                }
                case "random" -> {
                    if (val instanceof MapValue r) {
                        random = Determinism.Mode.DETERMINISTIC;
                        for (Map.Entry<Value, Value> re : r.entries().entrySet()) {
                            boolean isSeed = re.getKey() instanceof KeywordValue rk && rk.name().equals("seed");
                            if (!isSeed) {
                                out.add(shape(path + ".random", "unknown :random key " + describe(re.getKey()), "write {:seed \"0x2a\"}",
                                        re.getKey().span()));
                            } else if (re.getValue() instanceof StringValue s && !s.value().isBlank()) {
                                if (s.value().getBytes(StandardCharsets.UTF_8).length > Determinism.MAX_SEED_BYTES) {
                                    out.add(shape(path + ".random.seed", ":seed must be at most "
                                            + Determinism.MAX_SEED_BYTES + " bytes of UTF-8, got "
                                            + s.value().getBytes(StandardCharsets.UTF_8).length, re.getValue().span()));
                                } else {
                                    seed = Optional.of(s.value());
                                }
                            } else if (re.getValue() instanceof IntValue i) {
                                seed = Optional.of(Long.toString(i.value()));
                            } else {
                                out.add(shape(path + ".random.seed", ":seed must be a string or an integer, got "
                                        + describe(re.getValue()), re.getValue().span()));
                            }
                        }
                    } else {
                        random = mode(val, path + ".random").orElse(random);
                    }
                }
                default -> {
                    String hint = Suggestions.didYouMean(key, DETERMINISM, ":");
                    out.add(shape(path + "." + key, "unknown :determinism key " + describe(e.getKey()),
                            hint.isEmpty() ? "known keys: :time :random" : hint, e.getKey().span()));
                }
            }
        }
        return new Determinism(time, random, seed, startMs, map.span());
    }

    /** {@code :time {:start_ms n}}: the virtual clock's start, epoch milliseconds. */
    private OptionalLong startMs(MapValue t, String path) {
        OptionalLong start = OptionalLong.empty();
        for (Map.Entry<Value, Value> e : t.entries().entrySet()) {
            if (!(e.getKey() instanceof KeywordValue k && k.name().equals("start_ms"))) {
                out.add(shape(path, "unknown :time key " + describe(e.getKey()), "write {:start_ms 1704067200000}",
                        e.getKey().span()));
            } else if (e.getValue() instanceof IntValue i && i.value() >= 0 && i.value() <= Determinism.MAX_START_MS) {
                start = OptionalLong.of(i.value());
            } else {
                out.add(shape(path + ".start_ms", ":start_ms must be an integer from 0 to " + Determinism.MAX_START_MS
                        + " (epoch milliseconds), got " + describe(e.getValue()), e.getValue().span()));
            }
        }
        return start;
    }

    private Optional<Determinism.Mode> mode(Value v, String path) {
        if (v instanceof KeywordValue k) {
            if (k.name().equals("deterministic")) return Optional.of(Determinism.Mode.DETERMINISTIC);
            if (k.name().equals("real")) return Optional.of(Determinism.Mode.REAL);
        }
        out.add(shape(path, "expected :deterministic or :real, got " + describe(v), v.span()));
        return Optional.empty();
    }
}
