package dev.rtfs.microvm.egresspolicy.secret;

/**
 * An ACL's {@code inject_headers} names a secret the proxy cannot hold: unset, unreadable, empty, too short or too
 * long, or with a line break inside. The message names the field and the reference ({@code env API_TOKEN}), never a
 * value. The ACL is refused as a whole; the agent keeps the rules it had.
 */
public final class SecretUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public SecretUnavailableException(String message) {
        super(message);
    }
}
