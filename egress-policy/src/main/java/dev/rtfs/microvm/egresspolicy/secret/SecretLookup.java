package dev.rtfs.microvm.egresspolicy.secret;

/** What a {@link SecretResolver} found for one reference: the raw value, or why there is none (never a value). */
public sealed interface SecretLookup {

    /** The value as read (a file's trailing newlines are trimmed by {@link HeldSecrets}). */
    record Found(String value) implements SecretLookup {
        @Override
        public String toString() {
            return "Found[secret]";
        }
    }

    /** {@code why}: "not set", "no such file", "larger than 8192 bytes"... */
    record Missing(String why) implements SecretLookup {}
}
