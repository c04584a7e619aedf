package dev.rtfs.microvm.agentconfig;

import dev.rtfs.microvm.agentconfig.model.KeywordEnum;
import dev.rtfs.microvm.agentconfig.model.Located;
import dev.rtfs.microvm.rtfslang.BoolValue;
import dev.rtfs.microvm.rtfslang.FloatValue;
import dev.rtfs.microvm.rtfslang.IntValue;
import dev.rtfs.microvm.rtfslang.KeywordValue;
import dev.rtfs.microvm.rtfslang.ListValue;
import dev.rtfs.microvm.rtfslang.Span;
import dev.rtfs.microvm.rtfslang.StringValue;
import dev.rtfs.microvm.rtfslang.Value;
import dev.rtfs.microvm.rtfslang.VectorValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A map after schema checking: only keys the schema knows, by canonical name, and only values of the right
 * type (everything else was reported). The model builder reads typed fields from it without further checks.
 */
record CheckedMap(Map<String, Entry> entries, Span keySpan, Span span) {

    /** One accepted entry: exactly one of value / struct / named is set; keyed too for by-domain maps and vectors of maps. */
    record Entry(Span keySpan, Value value, CheckedMap struct, Map<String, CheckedMap> named, List<Keyed> keyed) {
        Entry(Span keySpan, Value value, CheckedMap struct, Map<String, CheckedMap> named) {
            this(keySpan, value, struct, named, null);
        }
    }

    /**
     * The checked maps under one key of a by-domain map (one for a map value, one per item for a vector of maps), or
     * the items of a vector of maps (name empty). {@code keySpan}: where the domain string was written.
     */
    record Keyed(String name, Span keySpan, List<CheckedMap> maps) {
        Keyed {
            maps = List.copyOf(maps);
        }
    }

    CheckedMap {
        entries = java.util.Collections.unmodifiableMap(entries); // built by the walker, not shared
    }

    private Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    private <T> Optional<Located<T>> scalar(String key, java.util.function.Function<Value, T> f) {
        return entry(key).filter(e -> e.value() != null)
                .map(e -> new Located<>(f.apply(e.value()), e.value().span(), e.keySpan()));
    }

    Optional<Located<String>> string(String key) {
        return scalar(key, v -> switch (v) {
            case StringValue s -> s.value();
            case KeywordValue k -> k.name();
            default -> throw new IllegalStateException("unchecked " + v.typeName());
        });
    }

    Optional<Located<Boolean>> bool(String key) {
        return scalar(key, v -> ((BoolValue) v).value());
    }

    Optional<Located<Long>> integer(String key) {
        return scalar(key, v -> ((IntValue) v).value());
    }

    Optional<Located<Double>> number(String key) {
        return scalar(key, v -> v instanceof IntValue i ? (double) i.value() : ((FloatValue) v).value());
    }

    <E extends Enum<E> & KeywordEnum> Optional<Located<E>> enumValue(String key, Class<E> type) {
        return scalar(key, v -> KeywordEnum.fromKeyword(type, ((KeywordValue) v).name()).orElseThrow());
    }

    Optional<Located<List<Located<String>>>> strings(String key) {
        return scalar(key, v -> items(v).stream().map(i -> new Located<>(switch (i) {
            case StringValue s -> s.value();
            case KeywordValue k -> k.name();
            default -> throw new IllegalStateException("unchecked " + i.typeName());
        }, i.span())).toList());
    }

    Optional<CheckedMap> struct(String key) {
        return entry(key).map(Entry::struct);
    }

    Optional<Located<Map<String, CheckedMap>>> named(String key) {
        return entry(key).filter(e -> e.named() != null)
                .map(e -> new Located<>(e.named(), e.value().span(), e.keySpan()));
    }

    /** A by-domain map (or a vector of maps) as checked: its keys in source order. */
    Optional<Located<List<Keyed>>> keyed(String key) {
        return entry(key).filter(e -> e.keyed() != null)
                .map(e -> new Located<>(e.keyed(), e.value().span(), e.keySpan()));
    }

    static List<Value> items(Value v) {
        return switch (v) {
            case VectorValue vec -> vec.items();
            case ListValue l -> l.items();
            default -> List.of();
        };
    }
}
