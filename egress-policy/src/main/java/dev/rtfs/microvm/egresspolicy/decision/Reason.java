package dev.rtfs.microvm.egresspolicy.decision;

/**
 * Why a request was denied (or would have been, in report mode). {@link #code()} is the value of the
 * {@code X-Egress-Denied} header. {@link #reportable()} reasons are policy decisions that report mode lets
 * through; the others are protocol faults and the SSRF guard (a denied address class: report mode is for learning
 * an allowlist, never a way to the metadata service or the host's loopback), refused whatever the mode.
 */
public enum Reason {
    ALLOWED("allowed", 200, true),
    NO_ACL("no-acl", 403, true),
    BETWEEN_STEPS("between-steps", 403, true),
    INVALID_HOST("invalid-host", 400, false),
    IP_LITERAL("ip-literal", 403, true),
    USERINFO("userinfo-in-target", 403, false),
    DOMAIN_NOT_ALLOWED("domain-not-allowed", 403, true),
    METHOD_NOT_ALLOWED("method-not-allowed", 403, true),
    METHOD_OVERRIDE("method-override", 403, true),
    PORT_NOT_ALLOWED("port-not-allowed", 403, true),
    ADDRESS_DENIED("address-denied", 403, false),
    DNS_FAILURE("dns-failure", 502, false),
    SNI_MISSING("sni-missing", 403, true),
    SNI_MISMATCH("sni-mismatch", 403, true),
    NOT_TLS("not-tls", 403, false),
    /**
     * The guest's TLS handshake with the proxy's leaf (an intercepted tunnel) failed or did not finish in time; the
     * detail names the cause. Never answered (no HTTP is possible), only recorded.
     */
    CLIENT_TLS("client-tls", 400, false),
    DLP("dlp", 403, true),
    DLP_REDACTED("dlp-redacted", 200, true),
    DLP_UNSCANNABLE("dlp-unscannable", 403, true),
    /**
     * The request carries a secret the proxy holds for the agent (an injected header's value): exfiltration, refused
     * in every DLP mode and in report mode too (reporting it would let it out).
     */
    DLP_HELD_SECRET("dlp-held-secret", 403, false),
    RATE_LIMITED("rate-limited", 429, true),
    REQUEST_TOO_LARGE("request-too-large", 413, false),
    RESPONSE_TOO_LARGE("response-too-large", 502, false),
    HEADERS_TOO_LARGE("headers-too-large", 431, false),
    BAD_REQUEST("bad-request", 400, false),
    SMUGGLING("smuggling", 400, false),
    HEADER_TIMEOUT("header-timeout", 408, false),
    CONNECT_FAILED("connect-failed", 502, false),
    UPSTREAM_ERROR("upstream-error", 502, false),
    /** The proxy's own TLS to the origin failed a check (an intercepted tunnel); the detail names the check. */
    UPSTREAM_TLS("upstream-tls", 502, false),
    UPSTREAM_TIMEOUT("upstream-timeout", 504, false),
    PROXY_BUSY("proxy-busy", 503, false),
    /**
     * At a shared listener the request did not prove its agent (no, a malformed, an invalid or an unknown
     * ServiceAccount token): 407 whatever the mode, since without an agent there are no rules to report against.
     */
    PROXY_AUTH("proxy-auth", 407, false),
    TOO_MANY_CONNECTIONS("too-many-connections", 503, false);

    /** Failures of the path rather than policy refusals: answered with {@code X-Egress-Error}. */
    public boolean isUpstreamFault() {
        return this == DNS_FAILURE || this == CONNECT_FAILED || this == UPSTREAM_ERROR || this == UPSTREAM_TIMEOUT
                || this == RESPONSE_TOO_LARGE || this == PROXY_BUSY;
    }

    private final String code;
    private final int status;
    private final boolean reportable;

    Reason(String code, int status, boolean reportable) {
        this.code = code;
        this.status = status;
        this.reportable = reportable;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public boolean reportable() {
        return reportable;
    }
}
