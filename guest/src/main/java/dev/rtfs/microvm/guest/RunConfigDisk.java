package dev.rtfs.microvm.guest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Objects;
import dev.rtfs.microvm.vmm.attest.Sha256;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The run config disk: a small read-only raw disk the supervisor writes for one run and attaches after the attested
 * images, so the guest learns per-run facts without any image changing. Today it carries the egress proxy's
 * interception CA certificate (never a key), which the guest agent adds to its trust store for that run.
 *
 * <p>Format (version 1): a ustar archive, written deterministically (mtime 0, uid/gid 0, mode 0444) and zero-padded
 * to a multiple of {@value #BLOCK} bytes, holding exactly {@value #MARKER} (content {@code "1\n"}) as its first entry
 * and {@value #CA_FILE} (PEM X.509 certificates only) as its second; at most {@value #MAX_BYTES} bytes in all. busybox
 * {@code tar} reads it straight from the block device; the marker tells the guest the device is this disk.
 */
public record RunConfigDisk(String caPem) {

    /** The first entry's name: what makes a block device a run config disk, and its format version. */
    public static final String MARKER = "rtfs-run-config.v1";
    public static final String CA_FILE = "ca.pem";
    /** The disk's size is a multiple of this (a block device's natural unit). */
    public static final int BLOCK = 4096;
    /** The guest reads at most this many bytes of the device; the disk never holds more. */
    public static final int MAX_BYTES = 64 * 1024;
    /** The CA file's bound, so that the archive always fits {@link #MAX_BYTES}. */
    public static final int MAX_CA_BYTES = 48 * 1024;

    private static final byte[] MARKER_CONTENT = "1\n".getBytes(StandardCharsets.US_ASCII);

    /** Why a CA text or a disk image is not a valid run config disk. */
    public static final class MalformedException extends Exception {
        public MalformedException(String message) {
            super(message);
        }
    }

    public RunConfigDisk {
        Objects.requireNonNull(caPem);
    }

    /** A disk for {@code caPem}, checked: PEM certificates only (no private key), within {@link #MAX_CA_BYTES}. */
    public static RunConfigDisk of(String caPem) throws MalformedException {
        checkCa(caPem.getBytes(StandardCharsets.UTF_8));
        return new RunConfigDisk(caPem);
    }

    /** {@code sha256:<hex>} of the DER of the CA's first certificate: the fingerprint the chain records. */
    public String caSha256() {
        try {
            byte[] der = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.UTF_8))).getEncoded();
            return Sha256.PREFIX + Sha256.hex(der);
        } catch (CertificateException e) {
            throw new IllegalStateException("checked when the disk was made or read", e);
        }
    }

    /** The raw disk image. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, 512, StandardCharsets.US_ASCII.name())) {
            entry(tar, MARKER, MARKER_CONTENT);
            entry(tar, CA_FILE, caPem.getBytes(StandardCharsets.UTF_8));
            tar.finish();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        byte[] archive = bytes.toByteArray();
        return Arrays.copyOf(archive, (archive.length + BLOCK - 1) / BLOCK * BLOCK);
    }

    /** Writes the image to {@code file} (replacing it), readable by its owner only, and returns its bytes. */
    public byte[] writeTo(Path file) throws IOException {
        byte[] image = toBytes();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, image, StandardOpenOption.TRUNCATE_EXISTING);
        return image;
    }

    /** Reads a disk image as the guest does: the marker first, then the CA; anything else is malformed. */
    public static RunConfigDisk parse(byte[] image) throws MalformedException {
        if (image.length > MAX_BYTES) {
            throw new MalformedException("run config disk is " + image.length + " bytes; at most " + MAX_BYTES);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(image))) {
            byte[] marker = next(tar, MARKER, MARKER_CONTENT.length);
            if (!Arrays.equals(marker, MARKER_CONTENT)) {
                throw new MalformedException("run config disk marker " + MARKER + " has unknown content");
            }
            byte[] ca = next(tar, CA_FILE, MAX_CA_BYTES);
            TarArchiveEntry extra = tar.getNextEntry();
            if (extra != null) {
                throw new MalformedException("run config disk holds an unexpected entry '" + extra.getName() + "'");
            }
            checkCa(ca);
            return new RunConfigDisk(new String(ca, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedException("run config disk is not a ustar archive: " + e.getMessage());
        }
    }

    private static void entry(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0100444);
        e.setModTime(0);
        e.setIds(0, 0);
        e.setNames("root", "root");
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static byte[] next(TarArchiveInputStream tar, String name, int max) throws IOException, MalformedException {
        TarArchiveEntry e = tar.getNextEntry();
        if (e == null || !e.getName().equals(name) || !e.isFile()) {
            throw new MalformedException("run config disk: expected the file '" + name + "', found "
                    + (e == null ? "the end of the archive" : "'" + e.getName() + "'"));
        }
        if (e.getSize() > max) {
            throw new MalformedException("run config disk: " + name + " is " + e.getSize() + " bytes; at most " + max);
        }
        return readBounded(tar, max);
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException, MalformedException {
        byte[] out = in.readNBytes(max + 1);
        if (out.length > max) throw new MalformedException("run config disk entry exceeds " + max + " bytes");
        return out;
    }

    /** PEM certificates only: at least one, each parseable, and no key of any kind. */
    private static void checkCa(byte[] pem) throws MalformedException {
        if (pem.length == 0 || pem.length > MAX_CA_BYTES) {
            throw new MalformedException("the run's CA is " + pem.length + " bytes; expected 1 to " + MAX_CA_BYTES);
        }
        String text = new String(pem, StandardCharsets.UTF_8);
        if (text.contains("PRIVATE KEY")) {
            throw new MalformedException("the run's CA file holds a private key; only certificates may reach the guest");
        }
        if (!text.startsWith("-----BEGIN CERTIFICATE-----")) {
            throw new MalformedException("the run's CA file does not start with a PEM certificate");
        }
        try {
            if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).isEmpty()) {
                throw new MalformedException("the run's CA file holds no certificate");
            }
        } catch (CertificateException e) {
            throw new MalformedException("the run's CA file is not PEM X.509: " + e.getMessage());
        }
    }
}
