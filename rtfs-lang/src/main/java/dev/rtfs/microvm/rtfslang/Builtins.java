package dev.rtfs.microvm.rtfslang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The built-in functions. Conventions: map functions accept a {@link MapValue}, a {@link TaggedValue} (they
 * act on its map and keep the tag) or nil (an empty map); sequence functions return a list when their
 * (first) collection is a list and a vector otherwise, so config data written as vectors stays vectors.
 * Writing an existing key replaces the key object, so a key's span is where the latest write happened.
 *
 * <p>Size: a table of small independent functions that share the conventions above; each is short, the file is
 * long.
 */
final class Builtins {

    private Builtins() { }

    static Value call(BuiltinCall c) {
        return switch (c.op()) {
            case ASSOC -> assoc(c);
            case ASSOC_IN -> assocIn(c, c.arg(0), path(c, 1), 0, c.arg(2));
            case DISSOC -> dissoc(c);
            case UPDATE -> update(c);
            case UPDATE_IN -> updateIn(c, c.arg(0), path(c, 1), 0);
            case MERGE -> merge(c, false);
            case DEEP_MERGE -> merge(c, true);
            case GET -> {
                Value found = lookup(c.arg(0), c.arg(1));
                yield found != null ? found : c.argc() == 3 ? c.arg(2) : NilValue.NIL;
            }
            case GET_IN -> getIn(c);
            case CONTAINS -> contains(c);
            case KEYS, VALS -> keysOrVals(c);
            case SELECT_KEYS -> selectKeys(c);
            case VECTOR -> new VectorValue(c.args(), c.produced(), MapValue.EMPTY);
            case VEC -> new VectorValue(items(c, 0), c.produced(), MapValue.EMPTY);
            case LIST -> new ListValue(c.args(), c.produced(), MapValue.EMPTY);
            case HASH_SET -> new SetValue(new LinkedHashSet<>(c.args()), c.produced(), MapValue.EMPTY);
            case HASH_MAP -> hashMap(c);
            case AGENT_CONFIG -> agentConfig(c);
            case CONJ -> conj(c, c.arg(0), 0, c.args().subList(1, c.argc()));
            case INTO -> conj(c, c.arg(0), 0, items(c, 1));
            case CONCAT -> concat(c);
            case COUNT -> IntValue.of(count(c)).withSpan(c.produced());
            case FIRST -> nth(items(c, 0), 0);
            case SECOND -> nth(items(c, 0), 1);
            case LAST -> {
                List<Value> it = items(c, 0);
                yield it.isEmpty() ? NilValue.NIL : it.get(it.size() - 1);
            }
            case REST -> {
                List<Value> it = items(c, 0);
                yield sequence(c.arg(0), it.isEmpty() ? List.of() : it.subList(1, it.size()), c.produced());
            }
            case NTH -> nthChecked(c);
            case MAP -> map(c);
            case FILTER -> filter(c);
            case REDUCE -> reduce(c);
            case APPLY -> applyFn(c);
            case STR -> str(c);
            case KEYWORD -> keyword(c);
            case NAME -> name(c);
            case EQ -> bool(c, allEqual(c.args()));
            case NOT_EQ -> bool(c, !allEqual(c.args()));
            case NOT -> bool(c, !Evaluator.truthy(c.arg(0)));
            case LT, GT, LE, GE -> compare(c);
            case ADD, SUB, MUL, DIV -> Arithmetic.fold(c);
            case INC, DEC -> Arithmetic.step(c);
            case NIL_Q -> bool(c, c.arg(0) instanceof NilValue);
            case SOME_Q -> bool(c, !(c.arg(0) instanceof NilValue));
            case STRING_Q -> bool(c, c.arg(0) instanceof StringValue);
            case NUMBER_Q -> bool(c, c.arg(0) instanceof IntValue || c.arg(0) instanceof FloatValue);
            case INTEGER_Q -> bool(c, c.arg(0) instanceof IntValue);
            case KEYWORD_Q -> bool(c, c.arg(0) instanceof KeywordValue);
            case BOOLEAN_Q -> bool(c, c.arg(0) instanceof BoolValue);
            case MAP_Q -> bool(c, isMapLike(c.arg(0)));
            case VECTOR_Q -> bool(c, c.arg(0) instanceof VectorValue);
            case LIST_Q -> bool(c, c.arg(0) instanceof ListValue);
            case SET_Q -> bool(c, c.arg(0) instanceof SetValue);
            case FN_Q -> bool(c, c.arg(0) instanceof FnValue);
            case EMPTY_Q -> bool(c, count(c) == 0);
        };
    }

    private static Value bool(BuiltinCall c, boolean b) {
        return new BoolValue(b, c.produced(), MapValue.EMPTY);
    }

    // ---------------------------------------------------------------------------------------------------
    // Maps

    static boolean isMapLike(Value v) {
        return v instanceof MapValue || v instanceof TaggedValue;
    }

    /** The map of a map-like value, an empty map for nil, or null. */
    private static MapValue mapOf(Value v) {
        if (v instanceof MapValue m) return m;
        if (v instanceof TaggedValue t) return t.map();
        if (v instanceof NilValue) return MapValue.EMPTY;
        return null;
    }

    /** {@code original} with its map replaced: a tagged value keeps its tag; nil becomes a fresh map. */
    private static Value rewrap(BuiltinCall c, Value original, MapValue m) {
        if (original instanceof TaggedValue t) return t.withMap(m);
        if (original instanceof NilValue && m.span() == Span.NONE) return m.withSpan(c.produced());
        return m;
    }

    /** The value under {@code key} in a map, tagged map, set or vector (by index), or null. */
    static Value lookup(Value coll, Value key) {
        if (coll instanceof MapValue m) return m.get(key);
        if (coll instanceof TaggedValue t) return t.map().get(key);
        if (coll instanceof VectorValue v && key instanceof IntValue i) {
            return i.value() >= 0 && i.value() < v.items().size() ? v.items().get((int) i.value()) : null;
        }
        if (coll instanceof SetValue s) return s.items().contains(key) ? key : null;
        return null;
    }

    private static Value assocOne(BuiltinCall c, int argIndex, Value coll, Value key, Value value) {
        if (coll instanceof VectorValue v) {
            if (!(key instanceof IntValue i) || i.value() < 0 || i.value() > v.items().size()) {
                throw c.argError(argIndex, "index " + RtfsPrinter.abbreviated(key, 80) + " out of bounds for a vector of "
                        + v.items().size());
            }
            c.charge(v.items().size());
            List<Value> items = new ArrayList<>(v.items());
            if (i.value() == items.size()) items.add(value);
            else items.set((int) i.value(), value);
            return new VectorValue(items, v.span(), v.meta());
        }
        MapValue m = mapOf(coll);
        if (m == null) {
            throw c.argError(argIndex, "cannot assoc " + RtfsPrinter.abbreviated(key, 80) + " into a " + coll.typeName()
                    + "; expected a map, vector or nil");
        }
        c.charge(m.entries().size());
        return rewrap(c, coll, m.assoc(key, value));
    }

    private static Value assoc(BuiltinCall c) {
        if (c.argc() % 2 != 1) throw c.error("expects a map and key/value pairs; the last key has no value");
        Value result = c.arg(0);
        for (int i = 1; i < c.argc(); i += 2) result = assocOne(c, 0, result, c.arg(i), c.arg(i + 1));
        return result;
    }

    /** The path argument of assoc-in / update-in / get-in as a list of keys. */
    private static List<Value> path(BuiltinCall c, int i) {
        Value p = c.arg(i);
        List<Value> keys;
        if (p instanceof VectorValue v) keys = v.items();
        else if (p instanceof ListValue l) keys = l.items();
        else throw c.typeError(i, "a vector of keys (the path)");
        if (keys.isEmpty() && c.op() != BuiltinOp.GET_IN) throw c.argError(i, "the path must not be empty");
        if (keys.size() > c.ev().maxDepth()) throw c.argError(i, "the path is longer than " + c.ev().maxDepth());
        return keys;
    }

    private static Value assocIn(BuiltinCall c, Value coll, List<Value> path, int at, Value value) {
        Value key = path.get(at);
        if (at == path.size() - 1) return assocOne(c, 0, coll, key, value);
        checkNestable(c, coll, path, at);
        Value inner = lookup(coll, key);
        return assocOne(c, 0, coll, key, assocIn(c, inner == null ? NilValue.NIL : inner, path, at + 1, value));
    }

    private static Value updateIn(BuiltinCall c, Value coll, List<Value> path, int at) {
        Value key = path.get(at);
        checkNestable(c, coll, path, at);
        Value inner = lookup(coll, key);
        if (inner == null) inner = NilValue.NIL;
        Value updated = at == path.size() - 1 ? callUpdater(c, inner) : updateIn(c, inner, path, at + 1);
        return assocOne(c, 0, coll, key, updated);
    }

    private static void checkNestable(BuiltinCall c, Value coll, List<Value> path, int at) {
        if (!(coll instanceof NilValue) && !(coll instanceof VectorValue) && mapOf(coll) == null) {
            throw c.argError(1, "cannot walk into a " + coll.typeName() + " at path "
                    + RtfsPrinter.abbreviated(VectorValue.of(path.subList(0, at)), 200));
        }
    }

    /** (update m k f a b) and (update-in m ks f a b): f gets the old value, then a b. */
    private static Value callUpdater(BuiltinCall c, Value old) {
        List<Value> args = new ArrayList<>(c.argc() - 2);
        args.add(old);
        args.addAll(c.args().subList(3, c.argc()));
        return c.ev().apply(c.arg(2), args, c.site(), null);
    }

    private static Value update(BuiltinCall c) {
        Value coll = c.arg(0);
        if (!(coll instanceof NilValue) && !(coll instanceof VectorValue) && mapOf(coll) == null) {
            throw c.typeError(0, "a map");
        }
        Value old = lookup(coll, c.arg(1));
        return assocOne(c, 0, coll, c.arg(1), callUpdater(c, old == null ? NilValue.NIL : old));
    }

    private static Value dissoc(BuiltinCall c) {
        MapValue m = mapOf(c.arg(0));
        if (m == null) throw c.typeError(0, "a map");
        if (c.arg(0) instanceof NilValue) return NilValue.NIL;
        c.charge((long) m.entries().size() * (c.argc() - 1));
        for (int i = 1; i < c.argc(); i++) m = m.dissoc(c.arg(i));
        return rewrap(c, c.arg(0), m);
    }

    private static Value merge(BuiltinCall c, boolean deep) {
        Value result = null;
        for (int i = 0; i < c.argc(); i++) {
            Value a = c.arg(i);
            if (a instanceof NilValue) continue;
            if (!isMapLike(a)) throw c.typeError(i, "a map");
            result = result == null ? a : rewrap(c, result, mergeMaps(c, mapOf(result), mapOf(a), deep));
        }
        return result == null ? NilValue.NIL : result;
    }

    /** {@code base} with every entry of {@code add}; an existing entry keeps its place and takes add's key. */
    private static MapValue mergeMaps(BuiltinCall c, MapValue base, MapValue add, boolean deep) {
        c.charge(base.entries().size() + add.entries().size());
        Map<Value, Value> addKeys = new HashMap<>();
        for (Value k : add.entries().keySet()) addKeys.put(k, k);
        LinkedHashMap<Value, Value> out = new LinkedHashMap<>();
        for (Map.Entry<Value, Value> e : base.entries().entrySet()) {
            Value k = addKeys.get(e.getKey());
            if (k == null) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            Value old = e.getValue();
            Value neu = add.entries().get(k);
            if (deep && isMapLike(old) && isMapLike(neu)) {
                neu = rewrap(c, old, mergeMaps(c, mapOf(old), mapOf(neu), true));
            }
            out.put(k, neu);
        }
        for (Map.Entry<Value, Value> e : add.entries().entrySet()) out.putIfAbsent(e.getKey(), e.getValue());
        return new MapValue(out, base.span(), base.meta());
    }

    private static Value getIn(BuiltinCall c) {
        Value cur = c.arg(0);
        for (Value k : path(c, 1)) {
            Value next = lookup(cur, k);
            if (next == null) return c.argc() == 3 ? c.arg(2) : NilValue.NIL;
            cur = next;
        }
        return cur;
    }

    private static Value contains(BuiltinCall c) {
        Value coll = c.arg(0);
        Value key = c.arg(1);
        if (coll instanceof NilValue) return bool(c, false);
        if (coll instanceof SetValue s) return bool(c, s.items().contains(key));
        if (coll instanceof VectorValue || isMapLike(coll)) return bool(c, lookup(coll, key) != null);
        throw c.typeError(0, "a map, set or vector");
    }

    private static Value keysOrVals(BuiltinCall c) {
        MapValue m = mapOf(c.arg(0));
        if (m == null) throw c.typeError(0, "a map");
        c.charge(m.entries().size());
        List<Value> out = new ArrayList<>(c.op() == BuiltinOp.KEYS ? m.entries().keySet() : m.entries().values());
        return new VectorValue(out, c.produced(), MapValue.EMPTY);
    }

    private static Value selectKeys(BuiltinCall c) {
        MapValue m = mapOf(c.arg(0));
        if (m == null) throw c.typeError(0, "a map");
        LinkedHashMap<Value, Value> out = new LinkedHashMap<>();
        for (Value k : items(c, 1)) {
            Value v = m.get(k);
            if (v != null) out.put(m.keyAsWritten(k), v);
        }
        c.charge(m.entries().size());
        return rewrap(c, c.arg(0), new MapValue(out, m.span(), m.meta()));
    }

    private static Value hashMap(BuiltinCall c) {
        if (c.argc() % 2 != 0) throw c.error("expects key/value pairs; the last key has no value");
        MapValue m = new MapValue(Map.of(), c.produced(), MapValue.EMPTY);
        for (int i = 0; i < c.argc(); i += 2) {
            c.charge(m.entries().size());
            m = m.assoc(c.arg(i), c.arg(i + 1));
        }
        return m;
    }

    /**
     * {@code (agent.config :k v ...)}. Lenient by design: an odd argument count, non-keyword keys and
     * repeated keys do not throw; the raw arguments stay in {@link TaggedValue#args()} so config validation
     * reports them (CONFIG_SHAPE, CONFIG_DUPLICATE_KEY) with positions. A repeated key's last value wins.
     */
    private static Value agentConfig(BuiltinCall c) {
        MapValue m = new MapValue(Map.of(), c.produced(), MapValue.EMPTY);
        for (int i = 0; i + 1 < c.argc(); i += 2) {
            c.charge(m.entries().size());
            m = m.assoc(c.arg(i), c.arg(i + 1));
        }
        return new TaggedValue("agent.config", m, c.args(), c.produced(), MapValue.EMPTY);
    }

    // ---------------------------------------------------------------------------------------------------
    // Sequences

    /** The items of argument {@code i} as a sequence (map entries as [k v] vectors, strings as 1-char strings). */
    private static List<Value> items(BuiltinCall c, int i) {
        Value v = c.arg(i);
        if (v instanceof VectorValue x) return x.items();
        if (v instanceof ListValue x) return x.items();
        if (v instanceof NilValue) return List.of();
        if (v instanceof SetValue x) return List.copyOf(x.items());
        MapValue m = mapOf(v);
        if (m != null) {
            c.charge(m.entries().size());
            List<Value> out = new ArrayList<>(m.entries().size());
            for (Map.Entry<Value, Value> e : m.entries().entrySet()) {
                out.add(new VectorValue(List.of(e.getKey(), e.getValue()), c.produced(), MapValue.EMPTY));
            }
            return out;
        }
        if (v instanceof StringValue s) {
            c.charge(s.value().length());
            List<Value> out = new ArrayList<>();
            s.value().codePoints().forEach(cp -> out.add(StringValue.of(Character.toString(cp)).withSpan(c.produced())));
            return out;
        }
        throw c.typeError(i, "a collection");
    }

    /** A list when {@code kind} is a list, a vector otherwise. */
    private static Value sequence(Value kind, List<Value> items, Span span) {
        return kind instanceof ListValue
                ? new ListValue(items, span, MapValue.EMPTY)
                : new VectorValue(items, span, MapValue.EMPTY);
    }

    private static Value nth(List<Value> items, int i) {
        return i < items.size() ? items.get(i) : NilValue.NIL;
    }

    private static Value nthChecked(BuiltinCall c) {
        List<Value> items = items(c, 0);
        if (!(c.arg(1) instanceof IntValue i)) throw c.typeError(1, "an integer");
        if (i.value() >= 0 && i.value() < items.size()) return items.get((int) i.value());
        if (c.argc() == 3) return c.arg(2);
        throw c.argError(1, "index " + i.value() + " out of bounds for " + items.size() + " items");
    }

    private static long count(BuiltinCall c) {
        Value v = c.arg(0);
        if (v instanceof StringValue s) return s.value().codePointCount(0, s.value().length());
        if (v instanceof VectorValue x) return x.items().size();
        if (v instanceof ListValue x) return x.items().size();
        if (v instanceof SetValue x) return x.items().size();
        if (v instanceof NilValue) return 0;
        MapValue m = mapOf(v);
        if (m != null) return m.entries().size();
        throw c.typeError(0, "a collection or string");
    }

    private static Value conj(BuiltinCall c, Value coll, int argIndex, List<Value> xs) {
        c.charge(xs.size());
        if (coll instanceof VectorValue v) {
            c.charge(v.items().size());
            List<Value> out = new ArrayList<>(v.items());
            out.addAll(xs);
            return new VectorValue(out, v.span(), v.meta());
        }
        if (coll instanceof ListValue || coll instanceof NilValue) {
            List<Value> old = coll instanceof ListValue l ? l.items() : List.of();
            c.charge(old.size());
            List<Value> out = new ArrayList<>(xs.size() + old.size());
            for (int i = xs.size() - 1; i >= 0; i--) out.add(xs.get(i));
            out.addAll(old);
            return coll instanceof ListValue l
                    ? new ListValue(out, l.span(), l.meta())
                    : new ListValue(out, c.produced(), MapValue.EMPTY);
        }
        if (coll instanceof SetValue s) {
            c.charge(s.items().size());
            LinkedHashSet<Value> out = new LinkedHashSet<>(s.items());
            out.addAll(xs);
            return new SetValue(out, s.span(), s.meta());
        }
        if (isMapLike(coll)) {
            Value result = coll;
            for (Value x : xs) {
                if (isMapLike(x)) {
                    result = rewrap(c, result, mergeMaps(c, mapOf(result), mapOf(x), false));
                } else if (x instanceof VectorValue pair && pair.items().size() == 2) {
                    result = assocOne(c, argIndex, result, pair.items().get(0), pair.items().get(1));
                } else {
                    throw c.error("can only add [key value] vectors or maps to a map, got " + x.typeName());
                }
            }
            return result;
        }
        throw c.typeError(argIndex, "a collection");
    }

    private static Value concat(BuiltinCall c) {
        List<Value> out = new ArrayList<>();
        Value kind = null;
        for (int i = 0; i < c.argc(); i++) {
            List<Value> it = items(c, i);
            c.charge(it.size());
            out.addAll(it);
            if (kind == null && !(c.arg(i) instanceof NilValue)) kind = c.arg(i);
        }
        return sequence(kind, out, c.produced());
    }

    private static Value map(BuiltinCall c) {
        Value f = c.arg(0);
        List<List<Value>> colls = new ArrayList<>();
        int n = Integer.MAX_VALUE;
        for (int i = 1; i < c.argc(); i++) {
            List<Value> it = items(c, i);
            colls.add(it);
            n = Math.min(n, it.size());
        }
        c.charge(n);
        List<Value> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            List<Value> args = new ArrayList<>(colls.size());
            for (List<Value> coll : colls) args.add(coll.get(k));
            out.add(c.ev().apply(f, args, c.site(), null));
        }
        return sequence(c.arg(1), out, c.produced());
    }

    private static Value filter(BuiltinCall c) {
        List<Value> it = items(c, 1);
        c.charge(it.size());
        List<Value> out = new ArrayList<>();
        for (Value x : it) {
            if (Evaluator.truthy(c.ev().apply(c.arg(0), List.of(x), c.site(), null))) out.add(x);
        }
        return sequence(c.arg(1), out, c.produced());
    }

    private static Value reduce(BuiltinCall c) {
        Value f = c.arg(0);
        List<Value> it = items(c, c.argc() - 1);
        c.charge(it.size());
        int from = 0;
        Value acc;
        if (c.argc() == 3) {
            acc = c.arg(1);
        } else if (it.isEmpty()) {
            return c.ev().apply(f, List.of(), c.site(), null);
        } else {
            acc = it.get(0);
            from = 1;
        }
        for (int i = from; i < it.size(); i++) acc = c.ev().apply(f, List.of(acc, it.get(i)), c.site(), null);
        return acc;
    }

    private static Value applyFn(BuiltinCall c) {
        List<Value> args = new ArrayList<>(c.args().subList(1, c.argc() - 1));
        List<Value> last = items(c, c.argc() - 1);
        c.charge(last.size());
        args.addAll(last);
        return c.ev().apply(c.arg(0), args, c.site(), null);
    }

    // ---------------------------------------------------------------------------------------------------
    // Strings, keywords, equality, comparison

    private static Value str(BuiltinCall c) {
        StringBuilder sb = new StringBuilder();
        for (Value v : c.args()) {
            // Bounded like printing: (str shared-structure) must not build gigabytes.
            long room = RtfsPrinter.MAX_CHARS - sb.length();
            try {
                String part = v instanceof StringValue s ? s.value() : v instanceof NilValue ? "" : RtfsPrinter.print(v, room);
                if (part.length() > room) throw new RtfsLimitException(RtfsLimitException.Bound.RTFS_OUTPUT_LIMIT, "", c.site());
                sb.append(part);
            } catch (RtfsLimitException tooLong) {
                throw c.error("the result would be longer than " + RtfsPrinter.MAX_CHARS + " characters");
            }
        }
        c.charge(1 + sb.length() / 16);
        return new StringValue(sb.toString(), c.produced(), MapValue.EMPTY);
    }

    private static Value keyword(BuiltinCall c) {
        Value v = c.arg(0);
        if (v instanceof KeywordValue) return v;
        if (v instanceof NilValue) return v;
        String name;
        if (v instanceof StringValue s) name = s.value();
        else if (v instanceof SymbolValue s) name = s.name();
        else throw c.typeError(0, "a string, symbol or keyword");
        if (name.isEmpty()) throw c.argError(0, "cannot make a keyword from an empty string");
        if (!readsBackAsKeyword(name)) {
            String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
            throw c.argError(0, RtfsPrinter.print(StringValue.of(shown)) + " is not a valid keyword name (it would not read back)");
        }
        return new KeywordValue(name, c.produced(), MapValue.EMPTY);
    }

    // Keeps read(print(v)) == v: a keyword printed as ":" + name must read back as the same keyword.
    private static boolean readsBackAsKeyword(String name) {
        try {
            List<Value> forms = RtfsReader.readAll("<keyword>", ":" + name);
            return forms.size() == 1 && forms.get(0) instanceof KeywordValue k && k.name().equals(name);
        } catch (RtfsSyntaxException e) {
            return false;
        }
    }

    private static Value name(BuiltinCall c) {
        Value v = c.arg(0);
        if (v instanceof StringValue) return v;
        String name;
        if (v instanceof KeywordValue k) name = k.name();
        else if (v instanceof SymbolValue s) name = s.name();
        else throw c.typeError(0, "a keyword, symbol or string");
        return new StringValue(name, c.produced(), MapValue.EMPTY);
    }

    private static boolean allEqual(List<Value> args) {
        for (int i = 1; i < args.size(); i++) if (!equal(args.get(0), args.get(i))) return false;
        return true;
    }

    /** RTFS {@code =}: like Clojure, a list and a vector with equal items are equal; otherwise value equality. */
    static boolean equal(Value a, Value b) {
        List<Value> as = sequential(a);
        List<Value> bs = sequential(b);
        if (as != null && bs != null) {
            if (as.size() != bs.size()) return false;
            for (int i = 0; i < as.size(); i++) if (!equal(as.get(i), bs.get(i))) return false;
            return true;
        }
        if (a instanceof TaggedValue ta && b instanceof TaggedValue tb) {
            return ta.tag().equals(tb.tag()) && equal(ta.map(), tb.map());
        }
        if (a instanceof MapValue ma && b instanceof MapValue mb) {
            if (ma.entries().size() != mb.entries().size()) return false;
            for (Map.Entry<Value, Value> e : ma.entries().entrySet()) {
                Value other = mb.get(e.getKey());
                if (other == null || !equal(e.getValue(), other)) return false;
            }
            return true;
        }
        return a.equals(b);
    }

    private static List<Value> sequential(Value v) {
        if (v instanceof VectorValue x) return x.items();
        if (v instanceof ListValue x) return x.items();
        return null;
    }

    private static Value compare(BuiltinCall c) {
        for (int i = 0; i < c.argc(); i++) Arithmetic.number(c, i);
        for (int i = 0; i + 1 < c.argc(); i++) {
            // IEEE 754: every ordering with NaN is false (Double.compare would rank NaN above everything).
            if (Arithmetic.isNaN(c.arg(i)) || Arithmetic.isNaN(c.arg(i + 1))) return bool(c, false);
            int cmp = Arithmetic.compare(c.arg(i), c.arg(i + 1));
            boolean ok = switch (c.op()) {
                case LT -> cmp < 0;
                case GT -> cmp > 0;
                case LE -> cmp <= 0;
                default -> cmp >= 0;
            };
            if (!ok) return bool(c, false);
        }
        return bool(c, true);
    }
}
