package dev.rtfs.microvm.agentconfig.model;

/**
 * {@code :network.egress.tls}: {@code :tunnel} (the default) splices HTTPS after the SNI check, so DLP and method rules
 * are blind inside it; {@code :intercept} terminates the guest's TLS at the proxy and applies them to every request.
 */
public enum EgressTlsMode implements KeywordEnum {
    TUNNEL("tunnel"), INTERCEPT("intercept");

    private final String keyword;

    EgressTlsMode(String keyword) { this.keyword = keyword; }

    @Override public String keyword() { return keyword; }
}
