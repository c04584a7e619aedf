package dev.rtfs.microvm.egressproxy.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's ServiceAccount token keys (the JSON of {@code kubectl get --raw /openid/v1/jwks}) read from a file
 * that is re-read when its content changes: looked at no more than once per {@code recheck}, compared by digest, so
 * kubelet's symlink swap of a ConfigMap update is seen. A new content that is not a JWKS with at least one key is
 * refused (logged) and the keys in use stay. Thread-safe.
 */
public final class JwksFile {

    private static final Logger LOG = LoggerFactory.getLogger(JwksFile.class);
    /** A cluster has a handful of keys (a few KiB); a larger file is refused unread. */
    static final int MAX_BYTES = 1 << 20;

    private final Path path;
    private final Clock clock;
    private final Duration recheck;
    private volatile Loaded loaded;
    private volatile Instant nextCheck;

    private record Loaded(JWKSet keys, byte[] digest, long generation) {}

    private JwksFile(Path path, Clock clock, Duration recheck, Loaded first) {
        this.path = path;
        this.clock = clock;
        this.recheck = recheck;
        this.loaded = first;
        this.nextCheck = clock.instant().plus(recheck);
    }

    /** Reads the file now; an unreadable or invalid file is an {@link IllegalArgumentException} saying why. */
    public static JwksFile open(Path path, Clock clock, Duration recheck) {
        try {
            byte[] bytes = read(path);
            return new JwksFile(path, clock, recheck, new Loaded(parse(bytes), digest(bytes), 1));
        } catch (IOException e) {
            throw new IllegalArgumentException("JWKS file " + path + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** The keys, re-read first when the recheck interval has passed and the content changed. */
    public JWKSet keys() {
        refreshIfDue();
        return loaded.keys();
    }

    /** Grows by one with each accepted change: a verified-token cache of an older generation is stale. */
    public long generation() {
        refreshIfDue();
        return loaded.generation();
    }

    private void refreshIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCheck)) {
            return;
        }
        synchronized (this) {
            if (now.isBefore(nextCheck)) {
                return;
            }
            nextCheck = now.plus(recheck);
            Loaded current = loaded;
            try {
                byte[] bytes = read(path);
                byte[] d = digest(bytes);
                if (Arrays.equals(d, current.digest())) {
                    return;
                }
                loaded = new Loaded(parse(bytes), d, current.generation() + 1);
                LOG.info("JWKS {} reloaded ({} keys)", path, loaded.keys().getKeys().size());
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("JWKS {} not reloaded, the keys in use stay: {}", path, e.getMessage());
            }
        }
    }

    private static byte[] read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            return b;
        }
    }

    private static JWKSet parse(byte[] bytes) {
        JWKSet set;
        try {
            set = JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWKS: " + e.getMessage(), e);
        }
        if (set.getKeys().isEmpty()) {
            throw new IllegalArgumentException("the JWKS has no keys");
        }
        if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
            throw new IllegalArgumentException("the JWKS holds a private key; give the public keys only");
        }
        return set;
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
