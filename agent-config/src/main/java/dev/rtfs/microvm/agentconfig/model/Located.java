package dev.rtfs.microvm.agentconfig.model;

import dev.rtfs.microvm.rtfslang.Span;
import java.util.Objects;

/**
 * A field value together with where it was written: {@code span} is the value, {@code keySpan} the key that
 * introduced it (e.g. {@code :allow-domains}). {@code span().via()} / {@code keySpan().via()} hold the call sites
 * (innermost first) when the value or key came out of a macro such as {@code profile:microvm-min}.
 */
public record Located<T>(T value, Span span, Span keySpan) {
    public Located {
        Objects.requireNonNull(value);
        Objects.requireNonNull(span);
        Objects.requireNonNull(keySpan);
    }

    /** A located value whose key position is unknown or irrelevant (list elements): keySpan = span. */
    public Located(T value, Span span) {
        this(value, span, span);
    }

    public static <T> Located<T> of(T value) {
        return new Located<>(value, Span.NONE, Span.NONE);
    }
}
