package dev.rtfs.microvm.rtfslang;

import java.util.List;

/**
 * The only exceptions the language core lets escape: a positioned syntax error ({@code RTFS_SYNTAX}), evaluation
 * error ({@code RTFS_EVAL}) or refusal of an input or output over a size bound ({@link RtfsLimitException}).
 * {@code stack} holds the call-site spans, innermost first.
 */
public abstract sealed class RtfsException extends RuntimeException
        permits RtfsSyntaxException, RtfsEvalException, RtfsLimitException {

    private final Span span;
    private final List<Span> stack;

    protected RtfsException(String message, Span span, List<Span> stack) {
        super(message, null, false, false);
        this.span = span;
        this.stack = List.copyOf(stack);
    }

    /** Stable diagnostic code: RTFS_SYNTAX, RTFS_EVAL, RTFS_INPUT_LIMIT or RTFS_OUTPUT_LIMIT. */
    public abstract String code();

    public Span span() { return span; }

    public List<Span> stack() { return stack; }
}
