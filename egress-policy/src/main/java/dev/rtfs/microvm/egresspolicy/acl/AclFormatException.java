package dev.rtfs.microvm.egresspolicy.acl;

/**
 * An ACL document that does not follow docs/egress-acl.md. {@link #path()} is the JSON path of the offending value
 * ({@code $.agents["agent.a"].allow_domains[1]}), or a {@code line L, column C} position for syntax errors.
 */
public final class AclFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String detail;

    public AclFormatException(String path, String detail) {
        super(path + ": " + detail);
        this.path = path;
        this.detail = detail;
    }

    public String path() {
        return path;
    }

    public String detail() {
        return detail;
    }
}
