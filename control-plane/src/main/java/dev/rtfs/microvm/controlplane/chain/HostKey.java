package dev.rtfs.microvm.controlplane.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's chain key: the Ed25519 pair that signs every chain's {@code HEAD}, kept outside any chain directory so
 * that whoever can rewrite a chain cannot re-sign it. One file holds both PEM blocks ("PRIVATE KEY" PKCS#8 and
 * "PUBLIC KEY" X.509), mode 0600 in a 0700 directory; {@code <key>.pub} holds the public block alone (mode 0644), for
 * {@code chain verify} by users who cannot read the private file and for copying to other machines.
 *
 * <p>Default path: {@code $RTFS_MICROVM_HOME/chain-key}, else {@code $XDG_STATE_HOME/rtfs-microvm/chain-key}, else
 * {@code $HOME/.local/state/rtfs-microvm/chain-key} (root's is under {@code /root}).
 */
public final class HostKey {
    private static final Logger LOG = LoggerFactory.getLogger(HostKey.class);
    public static final String HOME_ENV = "RTFS_MICROVM_HOME";
    private static final int MAX_BYTES = 16 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private HostKey() {}

    public static Path defaultPath() {
        return defaultPath(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultPath(Map<String, String> env, String userHome) {
        String home = env.get(HOME_ENV);
        if (home != null && !home.isBlank()) return Path.of(home, "chain-key");
        String state = env.get("XDG_STATE_HOME");
        if (state != null && !state.isBlank() && Path.of(state).isAbsolute()) return Path.of(state, "rtfs-microvm", "chain-key");
        String h = env.getOrDefault("HOME", userHome);
        return Path.of(h == null || h.isBlank() ? userHome : h, ".local", "state", "rtfs-microvm", "chain-key");
    }

    public static Path publicKeyPath(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    /** The key at {@code key}, created on first use (directory 0700, file 0600); refuses a key others can read. */
    public static AnchorSigner loadOrCreate(Path key) throws IOException {
        Path file = key.toAbsolutePath();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) create(file);
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(mode)) {
            throw new IOException("chain key " + file + " is accessible by others (mode "
                    + PosixFilePermissions.toString(mode) + "); chmod 600 it or use another key");
        }
        AnchorSigner signer = AnchorSigner.fromPem(readBounded(file), file.toString());
        Path pub = publicKeyPath(file);
        if (!Files.exists(pub)) writePublic(signer.publicKey(), pub);
        return signer;
    }

    /**
     * The public half of the host key at {@code key}: {@code <key>.pub}, else the key file itself; empty when
     * neither exists.
     */
    public static Optional<PublicKey> readPublic(Path key) throws IOException {
        for (Path p : new Path[] {publicKeyPath(key), key}) {
            try {
                return Optional.of(AnchorSigner.publicKeyFromPem(readBounded(p), p.toString()));
            } catch (NoSuchFileException e) {
                // try the next one
            }
        }
        return Optional.empty();
    }

    /** A PEM public key file ({@code chain verify --key}). */
    public static PublicKey readPublicKeyFile(Path pem) throws IOException {
        return AnchorSigner.publicKeyFromPem(readBounded(pem), pem.toString());
    }

    private static void create(Path file) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        AnchorSigner fresh = AnchorSigner.generate();
        byte[] pem = (fresh.privateKeyPem() + AnchorSigner.publicKeyPem(fresh.publicKey())).getBytes(StandardCharsets.US_ASCII);
        Path tmp = Files.createTempFile(dir, ".chain-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            writeDurably(tmp, pem);
            // A hard link creates the name only if it is free: two first runs at once end up with one key.
            Files.createLink(file, tmp);
            ChainStore.forceDirectory(dir);
            LOG.info("created the host chain key {} (key id {})", file, AnchorSigner.keyId(fresh.publicKey()));
        } catch (FileAlreadyExistsException e) {
            // another process won the race; use its key
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writePublic(PublicKey key, Path pub) throws IOException {
        Path tmp = Files.createTempFile(pub.getParent(), ".chain-key-pub", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            writeDurably(tmp, AnchorSigner.publicKeyPem(key).getBytes(StandardCharsets.US_ASCII));
            Files.move(tmp, pub, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
    }

    private static String readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw new IOException(file + ": larger than " + MAX_BYTES + " bytes, not a key");
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }
}
