package dev.rtfs.microvm.agentconfig.model;

import java.util.List;
import java.util.Optional;

/** Helpers for list-valued fields. */
final class Lists {
    private Lists() {}

    static <T> Optional<Located<List<Located<T>>>> copy(Optional<Located<List<Located<T>>>> field) {
        return field.map(l -> new Located<>(List.copyOf(l.value()), l.span(), l.keySpan()));
    }

    /** The plain values of a list field, or empty when the field is absent. */
    static <T> Optional<List<T>> values(Optional<Located<List<Located<T>>>> field) {
        return field.map(l -> l.value().stream().map(Located::value).toList());
    }
}
