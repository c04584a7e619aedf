package dev.rtfs.microvm.egresspolicy.secret;

import dev.rtfs.microvm.egresspolicy.acl.SecretRef;

/**
 * Reads the value behind a {@link SecretRef} on the host: the proxy's environment or a file. A seam: the proxy's
 * own reads the process environment and the file system; tests give it a map instead of the environment.
 */
@FunctionalInterface
public interface SecretResolver {

    SecretLookup resolve(SecretRef ref);
}
