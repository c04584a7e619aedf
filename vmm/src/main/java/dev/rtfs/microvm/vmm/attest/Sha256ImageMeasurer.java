package dev.rtfs.microvm.vmm.attest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Streams the file through SHA-256 in 1 MiB reads: constant memory for multi-GiB images. */
public final class Sha256ImageMeasurer implements ImageMeasurer {

    public static final String PREFIX = "sha256:";

    @Override
    public String measure(Path image) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = new DigestInputStream(Files.newInputStream(image), sha)) {
            while (in.read(buffer) >= 0) {
                // DigestInputStream updates the digest as we read.
            }
        }
        return PREFIX + HexFormat.of().formatHex(sha.digest());
    }
}
