package dev.rtfs.microvm.rtfslang;

import java.util.List;

public final class RtfsSyntaxException extends RtfsException {
    public RtfsSyntaxException(String message, Span span) {
        super(message, span, List.of());
    }

    @Override public String code() { return "RTFS_SYNTAX"; }
}
