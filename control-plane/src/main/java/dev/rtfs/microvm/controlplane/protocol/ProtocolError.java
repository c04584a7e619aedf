package dev.rtfs.microvm.controlplane.protocol;

/** Why a frame was rejected; {@link #code()} is what goes into the {@code error} reply. */
public enum ProtocolError {
    FRAME_TOO_LARGE("frame_too_large"),
    TRUNCATED_FRAME("truncated_frame"),
    EMPTY_FRAME("empty_frame"),
    INVALID_UTF8("invalid_utf8"),
    MALFORMED_JSON("malformed_json"),
    NOT_AN_OBJECT("not_an_object"),
    UNKNOWN_TYPE("unknown_type"),
    UNSUPPORTED_VERSION("unsupported_version"),
    MISSING_FIELD("missing_field"),
    UNEXPECTED_FIELD("unexpected_field"),
    WRONG_TYPE("wrong_type"),
    INVALID_VALUE("invalid_value"),
    OUT_OF_ORDER("out_of_order");

    private final String code;

    ProtocolError(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
