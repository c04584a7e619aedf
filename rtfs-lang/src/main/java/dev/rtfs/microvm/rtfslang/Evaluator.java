package dev.rtfs.microvm.rtfslang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The RTFS evaluator: a tree walker over read forms. Pure (no I/O, clock or randomness) and bounded: every
 * form evaluated costs one unit of fuel, built-ins pay per element they walk or build, and nesting of
 * evaluation and of built data is limited so that neither a runaway recursion nor deep data can overflow
 * the Java stack. One instance per evaluation (it holds the global environment and the budgets).
 *
 * <p>Spans: a literal evaluates to itself with its span; inside a user-function call its span gets
 * {@link Span#via()} = the call sites of the active user-function calls (innermost first). Values computed
 * by built-ins take the span of the call form (with the same {@code via}).
 *
 * <p>Size: one tree walker with one fuel and depth budget; the special forms share the environment and the budgets,
 * so they stay in the one class that owns them.
 */
final class Evaluator {

    private static final Map<String, SpecialForm> SPECIAL_FORMS = SpecialForm.byName();
    private static final SymbolValue QUOTE = SymbolValue.of("quote");

    private final EvalLimits limits;
    private final Map<String, Value> globals = new HashMap<>();
    private final IdentityHashMap<Value, Integer> dataDepth = new IdentityHashMap<>();
    private long fuel;
    private int depth;
    private CallFrame frames;
    /** Span of the form being evaluated: where to report a Java stack overflow, should one still happen. */
    private Span current = Span.NONE;

    Evaluator(EvalLimits limits) {
        this.limits = limits;
        this.fuel = limits.fuel();
        for (BuiltinOp op : BuiltinOp.values()) globals.put(op.rtfsName, new Builtin(op));
    }

    int maxDepth() {
        return limits.depth();
    }

    Span currentSpan() {
        return current;
    }

    /** Evaluates one top-level form in the global environment. */
    Value evalTopLevel(Value form) {
        frames = null;
        depth = 0;
        return eval(form, Env.EMPTY);
    }

    // ---------------------------------------------------------------------------------------------------
    // Core

    Value eval(Value form, Env env) {
        current = form.span();
        if (--fuel < 0) throw fuelExhausted(form.span());
        if (++depth > limits.depth()) {
            depth--;
            throw budget("nesting deeper than " + limits.depth() + " (runaway recursion?)", form.span());
        }
        try {
            if (form instanceof SymbolValue s) return lookup(s, env);
            if (form instanceof ListValue l) return l.items().isEmpty() ? literal(l) : evalList(l, env);
            if (form instanceof VectorValue v) return evalVector(v, env);
            if (form instanceof MapValue m) return evalMap(m, env);
            if (form instanceof SetValue s) return evalSet(s, env);
            if (form instanceof FnValue || form instanceof TaggedValue) return form;
            return literal(form);
        } finally {
            depth--;
        }
    }

    private Value literal(Value form) {
        return frames == null ? form : form.withSpan(form.span().withVia(frames.sites()));
    }

    /** Span for a value produced at {@code site}: the site plus the active call sites as {@code via}. */
    Span produced(Span site) {
        return frames == null ? site : site.withVia(frames.sites());
    }

    private Value lookup(SymbolValue s, Env env) {
        Value v = env.lookup(s.name());
        if (v != null) return v;
        v = globals.get(s.name());
        if (v != null) return v;
        if (SPECIAL_FORMS.containsKey(s.name())) {
            throw error("`" + s.name() + "` is a special form, not a value; call it as (" + s.name() + " ...)",
                    s.span());
        }
        throw error("unbound symbol: " + s.name(), s.span());
    }

    private Value evalVector(VectorValue v, Env env) {
        List<Value> items = new ArrayList<>(v.items().size());
        for (Value item : v.items()) items.add(eval(item, env));
        return checkDepth(new VectorValue(items, produced(v.span()), v.meta()), v.span());
    }

    private Value evalMap(MapValue m, Env env) {
        LinkedHashMap<Value, Value> entries = new LinkedHashMap<>();
        for (Map.Entry<Value, Value> e : m.entries().entrySet()) {
            Value k = eval(e.getKey(), env);
            Value val = eval(e.getValue(), env);
            if (entries.containsKey(k)) throw error("duplicate key in map literal: " + k, e.getKey().span());
            entries.put(k, val);
        }
        return checkDepth(new MapValue(entries, produced(m.span()), m.meta()), m.span());
    }

    private Value evalSet(SetValue s, Env env) {
        LinkedHashSet<Value> items = new LinkedHashSet<>();
        for (Value item : s.items()) {
            if (!items.add(eval(item, env))) throw error("duplicate item in set literal", item.span());
        }
        return checkDepth(new SetValue(items, produced(s.span()), s.meta()), s.span());
    }

    private Value evalList(ListValue form, Env env) {
        List<Value> items = form.items();
        Value head = items.get(0);
        if (head instanceof SymbolValue s) {
            SpecialForm special = SPECIAL_FORMS.get(s.name());
            if (special != null) return evalSpecial(special, form, env);
        }
        Value fn = eval(head, env);
        List<Value> args = new ArrayList<>(items.size() - 1);
        for (int i = 1; i < items.size(); i++) args.add(eval(items.get(i), env));
        current = form.span();
        return apply(fn, args, form.span(), form);
    }

    /**
     * Calls {@code fn} with evaluated arguments. {@code site} is the call form's span; {@code callForm} the
     * call form itself when the call is written in source (so argument errors can point at the argument),
     * or null when a built-in such as {@code map} calls a function.
     */
    Value apply(Value fn, List<Value> args, Span site, ListValue callForm) {
        if (fn instanceof Closure c) return invoke(c, args, site);
        if (fn instanceof Builtin b) {
            if (!b.op().accepts(args.size())) {
                throw error("wrong number of arguments (" + args.size() + ") passed to " + b.name()
                        + "; expected " + b.op().describeArity(), site);
            }
            Value result = Builtins.call(new BuiltinCall(this, b.op(), args, site, callForm));
            return checkDepth(result, site);
        }
        if (fn instanceof KeywordValue || fn instanceof MapValue || fn instanceof TaggedValue) {
            // (:k m), (:k m default), ({:a 1} :a): lookup, as in Clojure.
            if (args.isEmpty() || args.size() > 2) {
                throw error("wrong number of arguments (" + args.size() + ") passed to " + fn.typeName()
                        + " used as a function; expected 1 or 2", site);
            }
            Value dflt = args.size() == 2 ? args.get(1) : NilValue.NIL;
            Value found = fn instanceof KeywordValue
                    ? Builtins.lookup(args.get(0), fn)
                    : Builtins.lookup(fn, args.get(0));
            return found == null ? dflt : found;
        }
        Span at = callForm != null ? callForm.items().get(0).span() : site;
        throw error("cannot call a " + fn.typeName() + " value as a function", at);
    }

    private Value invoke(Closure c, List<Value> args, Span site) {
        ClosureArity arity = c.arityFor(args.size());
        if (arity == null) {
            throw error("wrong number of arguments (" + args.size() + ") passed to " + c.name()
                    + "; expected " + c.describeArities(), site);
        }
        frames = new CallFrame(site, frames);
        try {
            Env env = c.env();
            if (c.selfName() != null) env = env.bind(c.selfName(), c);
            List<Value> params = arity.params();
            for (int i = 0; i < params.size(); i++) env = bind(params.get(i), args.get(i), env);
            if (arity.rest() != null) {
                List<Value> rest = args.subList(params.size(), args.size());
                env = bind(arity.rest(), new ListValue(rest, produced(site), MapValue.EMPTY), env);
            }
            Value result = NilValue.NIL;
            for (Value f : arity.body()) result = eval(f, env);
            return result;
        } finally {
            frames = frames.parent;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Special forms

    private Value evalSpecial(SpecialForm sf, ListValue form, Env env) {
        List<Value> it = form.items();
        int n = it.size() - 1; // operands
        switch (sf) {
            case QUOTE -> {
                if (n != 1) throw error("quote expects exactly 1 form, got " + n, form.span());
                return it.get(1);
            }
            case DO -> {
                return evalBody(it, 1, env);
            }
            case IF -> {
                if (n < 2 || n > 3) throw error("if expects a test, a then form and an optional else form", form.span());
                if (truthy(eval(it.get(1), env))) return eval(it.get(2), env);
                return n == 3 ? eval(it.get(3), env) : NilValue.NIL;
            }
            case WHEN -> {
                if (n < 1) throw error("when expects a test", form.span());
                return truthy(eval(it.get(1), env)) ? evalBody(it, 2, env) : NilValue.NIL;
            }
            case COND -> {
                if (n % 2 != 0) throw error("cond expects test/expression pairs; the last test has no expression", it.get(n).span());
                for (int i = 1; i < it.size(); i += 2) {
                    if (truthy(eval(it.get(i), env))) return eval(it.get(i + 1), env);
                }
                return NilValue.NIL;
            }
            case AND -> {
                Value result = BoolValue.TRUE;
                for (int i = 1; i < it.size(); i++) {
                    result = eval(it.get(i), env);
                    if (!truthy(result)) return result;
                }
                return result;
            }
            case OR -> {
                Value result = NilValue.NIL;
                for (int i = 1; i < it.size(); i++) {
                    result = eval(it.get(i), env);
                    if (truthy(result)) return result;
                }
                return result;
            }
            case LET -> {
                if (n < 1 || !(it.get(1) instanceof VectorValue bindings)) {
                    throw error("let expects a binding vector: (let [name value ...] body...)", form.span());
                }
                List<Value> b = bindings.items();
                if (b.size() % 2 != 0) throw error("let binding vector needs an even number of forms", bindings.span());
                Env local = env;
                for (int i = 0; i < b.size(); i += 2) {
                    checkPattern(b.get(i));
                    local = bind(b.get(i), eval(b.get(i + 1), local), local);
                }
                return evalBody(it, 2, local);
            }
            case DEF -> {
                if (n < 1 || !(it.get(1) instanceof SymbolValue name)) {
                    throw error("def expects a symbol: (def name value)", form.span());
                }
                // (def name), (def name value), (def name "doc" value)
                if (n > 3 || (n == 3 && !(it.get(2) instanceof StringValue))) {
                    throw error("def expects (def name value) or (def name \"doc\" value)", form.span());
                }
                Value value = n == 1 ? NilValue.NIL : eval(it.get(n), env);
                globals.put(name.name(), value);
                return value;
            }
            case DEFN -> {
                if (n < 2 || !(it.get(1) instanceof SymbolValue name)) {
                    throw error("defn expects a name and a parameter vector: (defn name [params] body...)", form.span());
                }
                int start = 2;
                if (it.get(start) instanceof StringValue && it.size() > start + 1) start++; // docstring
                if (it.get(start) instanceof MapValue && it.size() > start + 1) start++;    // attribute map
                Closure c = new Closure(name.name(), null, arities(form, start, name.name()), env,
                        produced(form.span()), MapValue.EMPTY);
                globals.put(name.name(), c);
                return c;
            }
            case FN -> {
                int start = 1;
                String self = null;
                if (n >= 1 && it.get(1) instanceof SymbolValue s) {
                    self = s.name();
                    start = 2;
                }
                return new Closure(self == null ? "fn" : self, self, arities(form, start, "fn"), env,
                        produced(form.span()), MapValue.EMPTY);
            }
            case THREAD_FIRST, THREAD_LAST -> {
                if (n < 1) throw error(sf.rtfsName + " expects an initial value", form.span());
                Value acc = eval(it.get(1), env);
                for (int i = 2; i < it.size(); i++) {
                    acc = eval(threadStep(it.get(i), acc, sf == SpecialForm.THREAD_FIRST), env);
                }
                return acc;
            }
        }
        throw new IllegalStateException(sf.name());
    }

    private Value evalBody(List<Value> items, int from, Env env) {
        Value result = NilValue.NIL;
        for (int i = from; i < items.size(); i++) result = eval(items.get(i), env);
        return result;
    }

    /** {@code (-> x (f a))} runs {@code (f 'x a)}: the threaded value is quoted so it is not evaluated twice. */
    private static Value threadStep(Value step, Value acc, boolean first) {
        ListValue quoted = new ListValue(List.of(QUOTE, acc), acc.span(), MapValue.EMPTY);
        if (step instanceof ListValue l && !l.items().isEmpty()) {
            List<Value> items = new ArrayList<>(l.items().size() + 1);
            items.addAll(l.items());
            items.add(first ? 1 : items.size(), quoted);
            return new ListValue(items, l.span(), l.meta());
        }
        return new ListValue(List.of(step, quoted), step.span(), MapValue.EMPTY);
    }

    private List<ClosureArity> arities(ListValue form, int start, String name) {
        List<Value> it = form.items();
        if (start >= it.size()) throw error(name + " expects a parameter vector", form.span());
        if (it.get(start) instanceof VectorValue params) {
            return List.of(arity(params, it.subList(start + 1, it.size())));
        }
        List<ClosureArity> result = new ArrayList<>();
        for (int i = start; i < it.size(); i++) {
            if (!(it.get(i) instanceof ListValue clause) || clause.items().isEmpty()
                    || !(clause.items().get(0) instanceof VectorValue params)) {
                throw error(name + " expects a parameter vector, or clauses ([params] body...)", it.get(i).span());
            }
            result.add(arity(params, clause.items().subList(1, clause.items().size())));
        }
        return result;
    }

    private ClosureArity arity(VectorValue paramVector, List<Value> body) {
        List<Value> params = new ArrayList<>();
        Value rest = null;
        List<Value> p = paramVector.items();
        for (int i = 0; i < p.size(); i++) {
            if (p.get(i) instanceof SymbolValue s && s.name().equals("&")) {
                if (i != p.size() - 2) throw error("& must be followed by exactly one parameter", s.span());
                rest = p.get(i + 1);
                checkPattern(rest);
                break;
            }
            checkPattern(p.get(i));
            params.add(p.get(i));
        }
        return new ClosureArity(params, rest, body);
    }

    // ---------------------------------------------------------------------------------------------------
    // Binding and destructuring

    private void checkPattern(Value pattern) {
        if (pattern instanceof SymbolValue s && !s.name().equals("&")) return;
        if (pattern instanceof VectorValue || pattern instanceof MapValue) return;
        throw error("cannot bind to a " + pattern.typeName() + "; expected a symbol or a destructuring pattern",
                pattern.span());
    }

    private Env bind(Value pattern, Value value, Env env) {
        if (pattern instanceof SymbolValue s) return env.bind(s.name(), value);
        if (pattern instanceof VectorValue v) return bindVector(v, value, env);
        if (pattern instanceof MapValue m) return bindMap(m, value, env);
        throw error("cannot bind to a " + pattern.typeName(), pattern.span());
    }

    private Env bindVector(VectorValue pattern, Value value, Env env) {
        List<Value> items;
        if (value instanceof VectorValue v) items = v.items();
        else if (value instanceof ListValue l) items = l.items();
        else if (value instanceof NilValue) items = List.of();
        else throw error("cannot destructure a " + value.typeName() + " with a vector pattern", pattern.span());
        List<Value> p = pattern.items();
        int index = 0;
        for (int i = 0; i < p.size(); i++) {
            Value pi = p.get(i);
            if (pi instanceof SymbolValue s && s.name().equals("&") && i + 1 < p.size()) {
                List<Value> rest = index < items.size() ? items.subList(index, items.size()) : List.of();
                env = bind(p.get(++i), new ListValue(rest, value.span(), MapValue.EMPTY), env);
            } else if (pi instanceof KeywordValue k && k.name().equals("as") && i + 1 < p.size()) {
                env = bind(p.get(++i), value, env);
            } else {
                checkPattern(pi);
                env = bind(pi, index < items.size() ? items.get(index) : NilValue.NIL, env);
                index++;
            }
        }
        return env;
    }

    /** {@code {:keys [a b] :or {a 1} :as m}} and {@code {name :key}}. */
    private Env bindMap(MapValue pattern, Value value, Env env) {
        MapValue map;
        if (value instanceof MapValue m) map = m;
        else if (value instanceof TaggedValue t) map = t.map();
        else if (value instanceof NilValue) map = MapValue.EMPTY;
        else if (value instanceof ListValue l) map = keywordArgs(l, pattern);
        else throw error("cannot destructure a " + value.typeName() + " with a map pattern", pattern.span());
        Value defaults = pattern.get("or");
        for (Map.Entry<Value, Value> e : pattern.entries().entrySet()) {
            Value k = e.getKey();
            if (k instanceof KeywordValue kw && kw.name().equals("keys")) {
                if (!(e.getValue() instanceof VectorValue names)) throw error(":keys expects a vector of symbols", e.getValue().span());
                for (Value name : names.items()) {
                    if (!(name instanceof SymbolValue s)) throw error(":keys expects symbols", name.span());
                    Value found = map.get(KeywordValue.of(s.name()));
                    if (found == null && defaults instanceof MapValue d) found = d.get(SymbolValue.of(s.name()));
                    env = env.bind(s.name(), found == null ? NilValue.NIL : found);
                }
            } else if (k instanceof KeywordValue kw && kw.name().equals("as")) {
                env = bind(e.getValue(), value, env);
            } else if (k instanceof KeywordValue kw && kw.name().equals("or")) {
                // applied with :keys and plain entries
            } else {
                checkPattern(k);
                Value found = map.get(e.getValue());
                if (found == null && k instanceof SymbolValue s && defaults instanceof MapValue d) found = d.get(s);
                env = bind(k, found == null ? NilValue.NIL : found, env);
            }
        }
        return env;
    }

    /** Rest arguments under a map pattern, {@code [& {:keys [cid]}]}: either one map or key/value pairs. */
    private MapValue keywordArgs(ListValue rest, MapValue pattern) {
        List<Value> items = rest.items();
        if (items.size() == 1 && items.get(0) instanceof MapValue m) return m;
        if (items.size() == 1 && items.get(0) instanceof TaggedValue t) return t.map();
        if (items.size() % 2 != 0) throw error("expected a map or key/value pairs for a map pattern, got " + items.size() + " values", rest.span());
        MapValue m = MapValue.EMPTY;
        for (int i = 0; i < items.size(); i += 2) m = m.assoc(items.get(i), items.get(i + 1));
        return m;
    }

    // ---------------------------------------------------------------------------------------------------
    // Budgets and errors

    static boolean truthy(Value v) {
        return !(v instanceof NilValue) && !(v instanceof BoolValue b && !b.value());
    }

    /** Charges {@code units} of fuel for work a built-in does beyond evaluating its call form. */
    void charge(long units, Span at) {
        fuel -= units;
        if (fuel < 0) throw fuelExhausted(at);
    }

    /** Refuses data nested deeper than the depth limit (printers, equality and validators recurse on it). */
    Value checkDepth(Value v, Span at) {
        if (depthOf(v, 0) > limits.depth()) {
            throw budget("data nested deeper than " + limits.depth(), at);
        }
        return v;
    }

    private int depthOf(Value v, int level) {
        Iterable<Value> children;
        if (v instanceof VectorValue x) children = x.items();
        else if (v instanceof ListValue x) children = x.items();
        else if (v instanceof SetValue x) children = x.items();
        else if (v instanceof MapValue x) children = concat(x);
        else if (v instanceof TaggedValue x) return depthOf(x.map(), level);
        else return 0;
        Integer cached = dataDepth.get(v);
        if (cached != null) return cached;
        int limit = limits.depth();
        if (level > limit) return limit + 1; // deep enough to refuse; no need to look further
        int max = 0;
        for (Value c : children) {
            max = Math.max(max, depthOf(c, level + 1));
            if (max > limit) break;
        }
        int d = max + 1;
        // Leaf collections (the most common) are cheap to re-measure and are not kept alive by the cache.
        if (d >= 2 && d <= limit) dataDepth.put(v, d);
        return d;
    }

    private static Iterable<Value> concat(MapValue m) {
        List<Value> all = new ArrayList<>(m.entries().size() * 2);
        for (Map.Entry<Value, Value> e : m.entries().entrySet()) {
            all.add(e.getKey());
            all.add(e.getValue());
        }
        return all;
    }

    RtfsEvalException error(String message, Span span) {
        return new RtfsEvalException(message, span, frames == null ? List.of() : frames.sites());
    }

    private RtfsEvalException fuelExhausted(Span at) {
        fuel = -1; // stays exhausted if a caller catches and continues
        return budget("more than " + limits.fuel() + " evaluation steps (runaway recursion or loop?)", at);
    }

    private RtfsEvalException budget(String what, Span at) {
        return error("evaluation budget exhausted: " + what, at);
    }

    /** The active user-function calls, innermost first; {@link #sites()} is built once per frame. */
    private static final class CallFrame {
        final Span site;
        final CallFrame parent;
        private List<Span> sites;

        CallFrame(Span site, CallFrame parent) {
            this.site = site;
            this.parent = parent;
        }

        List<Span> sites() {
            if (sites == null) {
                List<Span> list = new ArrayList<>();
                for (CallFrame f = this; f != null; f = f.parent) list.add(f.site);
                sites = List.copyOf(list);
            }
            return sites;
        }
    }
}
