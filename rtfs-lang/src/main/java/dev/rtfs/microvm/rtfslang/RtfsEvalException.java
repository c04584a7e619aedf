package dev.rtfs.microvm.rtfslang;

import java.util.List;

public final class RtfsEvalException extends RtfsException {
    public RtfsEvalException(String message, Span span, List<Span> stack) {
        super(message, span, stack);
    }

    @Override public String code() { return "RTFS_EVAL"; }
}
