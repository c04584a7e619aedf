package dev.rtfs.microvm.egresspolicy.acl;

/**
 * A rule of an {@link AgentAcl} built in code that breaks docs/egress-acl.md. {@link #field()} names the rule as the
 * document does ({@code allow_domains[1]}, {@code rate.per_second}); {@link AclCodec} turns it into an
 * {@link AclFormatException} at the JSON path of the value, so a document and code share one check per rule.
 */
final class AclRuleException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String detail;

    public AclRuleException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
        this.detail = detail;
    }

    public String field() {
        return field;
    }

    public String detail() {
        return detail;
    }
}
