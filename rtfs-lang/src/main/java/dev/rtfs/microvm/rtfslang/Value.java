package dev.rtfs.microvm.rtfslang;

/**
 * An RTFS value. Every value carries the span of the literal (or call) that produced it and optional
 * metadata ({@code ^{...} form}). Equality is value equality: spans and metadata are ignored, so
 * {@code read(print(v)).equals(v)} holds for every data value.
 */
public sealed interface Value
        permits NilValue, BoolValue, IntValue, FloatValue, StringValue, KeywordValue, SymbolValue,
                ListValue, VectorValue, MapValue, SetValue, TaggedValue, FnValue {

    Span span();

    /** Metadata attached with {@code ^}, or {@link MapValue#EMPTY}. */
    MapValue meta();

    Value withSpan(Span span);

    Value withMeta(MapValue meta);

    /** Short type name for error messages ("map", "vector", "integer", ...). */
    String typeName();
}
