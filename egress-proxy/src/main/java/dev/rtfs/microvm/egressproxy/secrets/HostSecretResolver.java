package dev.rtfs.microvm.egressproxy.secrets;

import dev.rtfs.microvm.egresspolicy.acl.SecretRef;
import dev.rtfs.microvm.egresspolicy.secret.HeldSecrets;
import dev.rtfs.microvm.egresspolicy.secret.SecretLookup;
import dev.rtfs.microvm.egresspolicy.secret.SecretResolver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The proxy's {@link SecretResolver}: a variable of its environment ({@code env}) or a host file ({@code file}),
 * read once when an ACL is put. A file is read up to {@link HeldSecrets#MAX_SECRET_BYTES} + 1 bytes (longer is
 * refused, never buffered whole) as UTF-8. Failures name the reference's kind of problem, never content.
 */
public final class HostSecretResolver implements SecretResolver {

    private final Function<String, String> environment;

    /** {@code environment}: variable name to value, null when unset (tests pass a map's {@code get}). */
    public HostSecretResolver(Function<String, String> environment) {
        this.environment = environment;
    }

    /** The proxy process's own environment. */
    public static HostSecretResolver system() {
        return new HostSecretResolver(System::getenv);
    }

    @Override
    public SecretLookup resolve(SecretRef ref) {
        return switch (ref) {
            case SecretRef.Env env -> {
                String v = environment.apply(env.variable());
                yield v == null ? new SecretLookup.Missing("the variable is not set in the proxy's environment")
                        : new SecretLookup.Found(v);
            }
            case SecretRef.SecretFile file -> read(Path.of(file.path()));
        };
    }

    private static SecretLookup read(Path path) {
        if (!Files.isRegularFile(path)) {
            return new SecretLookup.Missing(Files.exists(path) ? "not a regular file" : "no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(HeldSecrets.MAX_SECRET_BYTES + 1);
            if (bytes.length > HeldSecrets.MAX_SECRET_BYTES) {
                return new SecretLookup.Missing("larger than " + HeldSecrets.MAX_SECRET_BYTES + " bytes");
            }
            return new SecretLookup.Found(new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return new SecretLookup.Missing("no such file");
        } catch (IOException | SecurityException e) {
            return new SecretLookup.Missing("unreadable (" + e.getClass().getSimpleName() + ")");
        }
    }
}
