package dev.rtfs.microvm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code proxy --ca-out FILE}: the interception CA's certificate, world-readable (it is public: clients trust it),
 * written next to FILE and renamed over it, so a client never reads half a certificate.
 */
final class CaCertificateFile {
    private CaCertificateFile() {}

    static void write(Path file, String pem) throws IOException {
        if (!pem.startsWith("-----BEGIN CERTIFICATE-----") || pem.contains("PRIVATE KEY")) {
            throw new IllegalStateException("refusing to write anything but a certificate to " + file);
        }
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (Files.isDirectory(target)) throw new IOException("--ca-out " + file + " is a directory");
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temp, pem, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
