package dev.rtfs.microvm.vmm.attest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256 of the host side (vmm, guest, supervisor, cli). Why one: attestation compares hashes written by
 * different hands (image.lock, the config, {@code --expect-rootfs-hash}, the measurer), and device names and plan
 * ids are derived from hashes; copies drift (hex case, text encoding, prefix) and a drift is a refused deploy or a
 * renamed device. Hex is always lowercase, text is always UTF-8. (control-plane keeps its own digest: the chain's
 * record format specifies it, and control-plane does not depend on vmm.)
 */
public final class Sha256 {

    /** How a measured image hash is written: {@code sha256:} + 64 lowercase hex digits. */
    public static final String PREFIX = "sha256:";

    private static final int READ_BYTES = 1 << 20;

    private Sha256() {}

    /** The digest of {@code bytes}. */
    public static byte[] digest(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    /** The digest of {@code text} in UTF-8. */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of {@code bytes} as 64 lowercase hex digits. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    /** The digest of {@code text} in UTF-8 as 64 lowercase hex digits. */
    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    /** {@code sha256:<hex>} of the file's bytes, streamed in 1 MiB reads: constant memory for multi-GiB images. */
    public static String ofFile(Path file) throws IOException {
        MessageDigest sha = newDigest();
        byte[] buffer = new byte[READ_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return PREFIX + HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
