package dev.rtfs.microvm.rtfslang;

import java.util.List;
import java.util.Objects;

/**
 * A map with a constructor tag, e.g. {@code (agent.config :version "1" ...)} evaluates to
 * {@code TaggedValue("agent.config", {...})}. Map built-ins (assoc, get, merge, ...) act on {@link #map()}
 * and keep the tag. {@code args} holds the evaluated constructor arguments exactly as written (possibly an
 * odd count, non-keyword keys or repeated keys) so that config validation can report shape problems
 * with positions; it is empty once a built-in has transformed the value.
 */
public record TaggedValue(String tag, MapValue map, List<Value> args, Span span, MapValue meta) implements Value {
    public TaggedValue {
        Objects.requireNonNull(tag);
        Objects.requireNonNull(map);
        args = List.copyOf(args);
    }

    public TaggedValue withMap(MapValue m) { return new TaggedValue(tag, m, List.of(), span, meta); }

    @Override public Value withSpan(Span s) { return new TaggedValue(tag, map, args, s, meta); }
    @Override public Value withMeta(MapValue m) { return new TaggedValue(tag, map, args, span, m); }
    @Override public String typeName() { return tag; }
    @Override public boolean equals(Object o) { return o instanceof TaggedValue t && t.tag.equals(tag) && t.map.equals(map); }
    @Override public int hashCode() { return 31 * (31 * tag.hashCode() + map.hashCode()) + 7; }
}
