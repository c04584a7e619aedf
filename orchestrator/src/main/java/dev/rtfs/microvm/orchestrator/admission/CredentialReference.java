package dev.rtfs.microvm.orchestrator.admission;

import java.util.Objects;

/**
 * A header the proxy injects into an intercepted request to {@code domain} ({@code :network :egress :credentials}):
 * where its value lives on the host, never the value. The proxy resolves {@link Source} when it loads the ACL; a
 * guest-supplied header of the same name is replaced.
 *
 * @param prefix written before the secret, e.g. {@code "Bearer "}; empty for none
 */
public record CredentialReference(String domain, String header, Source source, String prefix) {

    public CredentialReference {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(header);
        Objects.requireNonNull(source);
        Objects.requireNonNull(prefix);
    }

    /** Where the secret is read on the host. */
    public sealed interface Source {
        /** An environment variable of the proxy's process. */
        record Env(String name) implements Source {
            public Env {
                Objects.requireNonNull(name);
            }
        }

        /** A host file (absolute path); its content, one trailing newline dropped, is the secret. */
        record File(String path) implements Source {
            public File {
                Objects.requireNonNull(path);
            }
        }
    }
}
