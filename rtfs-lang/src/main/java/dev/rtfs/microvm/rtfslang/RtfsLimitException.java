package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * An input or output refused because it is over a size bound: a file larger than the input limit
 * ({@code RTFS_INPUT_LIMIT}) or a value whose printed form is larger or deeper than the printer allows
 * ({@code RTFS_OUTPUT_LIMIT}, e.g. shared structure that would expand to gigabytes). Positioned like any RTFS error.
 */
public final class RtfsLimitException extends RtfsException {

    /** Which bound was hit; the name of each is its stable diagnostic code. */
    public enum Bound {
        RTFS_INPUT_LIMIT,
        RTFS_OUTPUT_LIMIT
    }

    private final Bound bound;

    public RtfsLimitException(Bound bound, String message, Span span) {
        super(message, span, List.of());
        this.bound = bound;
    }

    public Bound bound() { return bound; }

    @Override public String code() { return bound.name(); }
}
