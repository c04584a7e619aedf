package dev.rtfs.microvm.egresspolicy.secret;

import java.util.Objects;

/**
 * A secret value the proxy holds in memory (an injected header's credential). Its {@link #toString()} is
 * {@code [secret]}, so a log line, record or exception message that mentions one by accident shows nothing; the value
 * is read only through {@link #reveal()}, where it goes on the wire or into the DLP's held-secret rule.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** Wraps a value already checked by {@link HeldSecrets#check}. */
    static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "[secret]";
    }
}
