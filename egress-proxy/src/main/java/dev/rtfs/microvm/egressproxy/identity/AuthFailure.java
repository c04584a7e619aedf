package dev.rtfs.microvm.egressproxy.identity;

/** Why a request at a shared listener proved no agent; {@link #code()} is the metric's {@code cause} label. */
public enum AuthFailure {
    MISSING("missing"),
    MALFORMED("malformed"),
    UNSUPPORTED_ALGORITHM("unsupported-algorithm"),
    UNKNOWN_KEY("unknown-key"),
    BAD_SIGNATURE("bad-signature"),
    WRONG_AUDIENCE("wrong-audience"),
    WRONG_ISSUER("wrong-issuer"),
    EXPIRED("expired"),
    NOT_YET_VALID("not-yet-valid"),
    NOT_A_SERVICE_ACCOUNT("not-a-service-account"),
    UNKNOWN_SERVICE_ACCOUNT("unknown-service-account");

    private final String code;

    AuthFailure(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
