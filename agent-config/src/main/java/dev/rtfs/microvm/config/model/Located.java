package dev.rtfs.microvm.config.model;

import dev.rtfs.microvm.lang.Span;
import java.util.Objects;

/**
 * A field value together with the span of the RTFS value that produced it. {@code span().via()} holds the
 * call sites (innermost first) when the value came out of a macro such as {@code profile:microvm-min}.
 */
public record Located<T>(T value, Span span) {
    public Located {
        Objects.requireNonNull(value);
        Objects.requireNonNull(span);
    }

    public static <T> Located<T> of(T value) {
        return new Located<>(value, Span.NONE);
    }
}
