package dev.rtfs.microvm.agentconfig.diag;

import dev.rtfs.microvm.rtfslang.RtfsEvalException;
import dev.rtfs.microvm.rtfslang.RtfsException;
import dev.rtfs.microvm.rtfslang.RtfsLimitException;
import dev.rtfs.microvm.rtfslang.RtfsSyntaxException;

/**
 * The codes of rtfs-lang's errors, as diagnostics. rtfs-lang depends on nothing of ours, so its codes are typed
 * here, one for each of its exceptions ({@link #of}).
 */
public enum RtfsCode implements DiagnosticCode {
    RTFS_SYNTAX("RTFS reader error"),
    RTFS_EVAL("RTFS evaluation error"),
    RTFS_INPUT_LIMIT("RTFS_INPUT_LIMIT"),
    RTFS_OUTPUT_LIMIT("RTFS_OUTPUT_LIMIT");

    private final String description;

    RtfsCode(String description) {
        this.description = description;
    }

    /** The code of an RTFS error (the same name as its {@link RtfsException#code()}). */
    public static RtfsCode of(RtfsException e) {
        return switch (e) {
            case RtfsSyntaxException s -> RTFS_SYNTAX;
            case RtfsEvalException v -> RTFS_EVAL;
            case RtfsLimitException l -> switch (l.bound()) {
                case RTFS_INPUT_LIMIT -> RTFS_INPUT_LIMIT;
                case RTFS_OUTPUT_LIMIT -> RTFS_OUTPUT_LIMIT;
            };
        };
    }

    @Override
    public String namespace() {
        return "rtfs";
    }

    @Override
    public String description() {
        return description;
    }
}
