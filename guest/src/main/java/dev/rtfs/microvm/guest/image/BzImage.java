package dev.rtfs.microvm.guest.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The kernel release an x86 bzImage carries in its boot setup header (Documentation/arch/x86/boot.rst): magic
 * {@code "HdrS"} at 0x202 and the 16-bit little-endian {@code kernel_version} at 0x20E, which points (plus 0x200)
 * at a NUL-terminated string such as {@code "6.1.0-57-cloud-amd64 (debian-kernel@...) #1 SMP ..."}. The release
 * is its first token. Reading it from the image, not from the file name, is what lets a copied kernel named
 * anything find its modules.
 */
final class BzImage {

    private static final int MAGIC_AT = 0x202;
    private static final int VERSION_POINTER_AT = 0x20E;
    private static final int SETUP_BASE = 0x200;
    /** The pointer is 16 bits, so the string starts below 0x10200; a release string is far shorter than 512. */
    private static final int MAX_VERSION_STRING = 512;
    static final int HEAD_BYTES = 0xFFFF + SETUP_BASE + MAX_VERSION_STRING;

    private BzImage() {}

    /** The release of the bzImage at {@code image}. */
    public static String release(Path image) throws KernelInputException {
        byte[] head;
        try (InputStream in = Files.newInputStream(image)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (NoSuchFileException e) {
            throw new KernelInputException("kernel " + image + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new KernelInputException("kernel " + image + " is not readable (Debian installs it 0600: run as root "
                    + "or pass --kernel with a readable copy)", e);
        } catch (IOException e) {
            throw new KernelInputException("kernel " + image + ": cannot read it: " + e.getMessage(), e);
        }
        return release(head, image.toString());
    }

    /** The release in a bzImage's first bytes ({@code what} names the file in errors). */
    public static String release(byte[] head, String what) throws KernelInputException {
        if (head.length == 0) throw new KernelInputException("kernel " + what + ": empty file, not a bzImage");
        if (head.length < VERSION_POINTER_AT + 2 || head[MAGIC_AT] != 'H' || head[MAGIC_AT + 1] != 'd'
                || head[MAGIC_AT + 2] != 'r' || head[MAGIC_AT + 3] != 'S') {
            throw new KernelInputException("kernel " + what + ": not an x86 bzImage (no \"HdrS\" boot header at 0x202)");
        }
        int pointer = (head[VERSION_POINTER_AT] & 0xff) | (head[VERSION_POINTER_AT + 1] & 0xff) << 8;
        if (pointer == 0) {
            throw new KernelInputException("kernel " + what + ": the bzImage header carries no kernel version string");
        }
        int start = pointer + SETUP_BASE;
        int end = start;
        while (end < head.length && end - start < MAX_VERSION_STRING && head[end] != 0) end++;
        if (end >= head.length || head[end] != 0) {
            throw new KernelInputException("kernel " + what + ": the bzImage's kernel version string at 0x"
                    + Integer.toHexString(start) + " is not NUL-terminated within the file");
        }
        String version = new String(head, start, end - start, StandardCharsets.US_ASCII);
        String release = version.strip().split("\\s+", 2)[0];
        if (release.isEmpty() || release.equals(".") || release.equals("..") || !release.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
            throw new KernelInputException("kernel " + what + ": the bzImage's kernel version string is not a release: '"
                    + version.replaceAll("[^\\x20-\\x7e]", "?") + "'");
        }
        return release;
    }
}
