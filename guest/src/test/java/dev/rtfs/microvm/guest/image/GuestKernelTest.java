package dev.rtfs.microvm.guest.image;

import static dev.rtfs.microvm.guest.image.Prerequisites.requireThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel lookup the image build and the boot tests share: the newest cloud kernel by Debian version order, or
 * the file given; its release read from the bzImage header, not from its name.
 */
class GuestKernelTest {

    @TempDir Path dir;

    /** The part of an x86 bzImage the lookup reads: "HdrS" at 0x202, kernel_version at 0x20E, the string. */
    static byte[] bzImage(String versionString, int pointer) {
        byte[] version = (versionString + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(pointer + 0x200 + version.length + 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x202, "HdrS".getBytes(StandardCharsets.US_ASCII)).putShort(0x20E, (short) pointer);
        b.put(pointer + 0x200, version);
        return b.array();
    }

    static byte[] bzImage(String release) {
        return bzImage(release + " (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3", 0x3ec0);
    }

    @Test
    void theReleaseIsTheFirstTokenOfTheHeadersVersionString() throws Exception {
        assertThat(BzImage.release(bzImage("6.1.0-57-cloud-amd64"), "k")).isEqualTo("6.1.0-57-cloud-amd64");
        // The pointer is unsigned 16 bits: a string far into the setup code is still found.
        assertThat(BzImage.release(bzImage("6.12.1-1-cloud-amd64 #1", 0xFF00), "k")).isEqualTo("6.12.1-1-cloud-amd64");
    }

    @Test
    void notABzImageIsAnErrorNamingTheFile() {
        assertThatThrownBy(() -> BzImage.release(new byte[0], "/k")).isInstanceOf(KernelInputException.class)
                .hasMessage("kernel /k: empty file, not a bzImage");
        assertThatThrownBy(() -> BzImage.release("#!/bin/sh\n".repeat(100).getBytes(StandardCharsets.US_ASCII), "/k"))
                .hasMessage("kernel /k: not an x86 bzImage (no \"HdrS\" boot header at 0x202)");
        assertThatThrownBy(() -> BzImage.release(new byte[0x100], "/k")).hasMessageContaining("not an x86 bzImage");
        byte[] noPointer = bzImage("6.1.0-57-cloud-amd64");
        noPointer[0x20E] = 0;
        noPointer[0x20F] = 0;
        assertThatThrownBy(() -> BzImage.release(noPointer, "/k")).hasMessageContaining("/k")
                .hasMessageContaining("no kernel version string");
        byte[] cut = bzImage("6.1.0-57-cloud-amd64");
        byte[] truncated = java.util.Arrays.copyOf(cut, 0x3ec0 + 0x200 + 5);
        assertThatThrownBy(() -> BzImage.release(truncated, "/k")).hasMessageContaining("not NUL-terminated");
        assertThatThrownBy(() -> BzImage.release(bzImage("", 0x100), "/k")).hasMessageContaining("is not a release");
        assertThatThrownBy(() -> BzImage.release(bzImage("../../etc #1", 0x100), "/k"))
                .hasMessageContaining("is not a release");
        assertThatThrownBy(() -> BzImage.release(bzImage(".. #1", 0x100), "/k")).hasMessageContaining("is not a release");
    }

    @Test
    void theNewestCloudKernelWinsByDebianVersionOrder() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        for (String v : new String[] {"6.1.0-9-cloud-amd64", "6.1.0-57-cloud-amd64", "6.1.0-58-amd64",
                "6.1.0-57~rc1-cloud-amd64"}) {
            Files.write(boot.resolve("vmlinuz-" + v), bzImage(v));
        }
        Files.write(boot.resolve("config-6.1.0-99-cloud-amd64"), new byte[] {1});
        GuestKernel k = GuestKernel.newestIn(boot).orElseThrow();
        assertThat(k.image()).isEqualTo(boot.resolve("vmlinuz-6.1.0-57-cloud-amd64"));
        assertThat(k.release()).isEqualTo("6.1.0-57-cloud-amd64");
        assertThat(k.choice()).isEqualTo("newest of 3 in " + boot);
        assertThat(k.modulesDir(Path.of("/lib/modules"))).isEqualTo(Path.of("/lib/modules/6.1.0-57-cloud-amd64"));
        Files.write(boot.resolve("vmlinuz-6.10.0-1-cloud-amd64"), bzImage("6.10.0-1-cloud-amd64"));
        Files.write(boot.resolve("vmlinuz-6.9.0-1-cloud-amd64"), bzImage("6.9.0-1-cloud-amd64"));
        assertThat(GuestKernel.newestIn(boot).orElseThrow().release()).isEqualTo("6.10.0-1-cloud-amd64");
        assertThat(GuestKernel.newestIn(dir.resolve("none"))).isEmpty();
        assertThat(GuestKernel.newestIn(Files.createDirectories(dir.resolve("empty")))).isEmpty();
    }

    @Test
    void theNewestThatIsNoBzImageIsAnErrorNotASilentFallback() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Files.write(boot.resolve("vmlinuz-6.1.0-9-cloud-amd64"), bzImage("6.1.0-9-cloud-amd64"));
        Files.write(boot.resolve("vmlinuz-6.1.0-10-cloud-amd64"), new byte[0]);
        assertThatThrownBy(() -> GuestKernel.newestIn(boot)).isInstanceOf(KernelInputException.class)
                .hasMessage("kernel " + boot.resolve("vmlinuz-6.1.0-10-cloud-amd64") + ": empty file, not a bzImage");
    }

    @Test
    void aGivenKernelNamedAnythingUsesTheReleaseItCarries() throws Exception {
        Path copy = Files.write(dir.resolve("my-kernel"), bzImage("6.1.0-57-cloud-amd64"));
        assertThat(GuestKernel.given(copy)).isEqualTo(new GuestKernel(copy, "6.1.0-57-cloud-amd64", "--kernel"));
        Path misnamed = Files.write(dir.resolve("vmlinuz-6.1.0-9-cloud-amd64"), bzImage("6.1.0-57-cloud-amd64"));
        assertThat(GuestKernel.given(misnamed).release()).isEqualTo("6.1.0-57-cloud-amd64");
        assertThatThrownBy(() -> GuestKernel.given(dir.resolve("missing")))
                .isInstanceOf(KernelInputException.class).hasMessage("kernel " + dir.resolve("missing") + ": no such file");
        assertThatThrownBy(() -> GuestKernel.given(dir)).hasMessage("kernel " + dir + ": not a regular file");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> GuestKernel.given(empty)).hasMessage("kernel " + empty + ": empty file, not a bzImage");
    }

    /** The real Debian kernel: the header's release is the one its file name and /lib/modules use. */
    @Test
    void theHostsCloudKernelCarriesTheReleaseItIsNamedFor() throws Exception {
        Path real = Path.of("/boot/vmlinuz-6.1.0-57-cloud-amd64");
        Optional<GuestKernel> newest = Optional.empty();
        try {
            newest = GuestKernel.newestIn(Path.of("/boot"));
        } catch (KernelInputException e) {
            requireThat(false, e.getMessage());
        }
        requireThat(newest.isPresent(), "no /boot/vmlinuz-*-cloud-amd64 (apt-get install linux-image-cloud-amd64)");
        GuestKernel k = newest.get();
        assertThat(k.image().getFileName().toString()).isEqualTo("vmlinuz-" + k.release());
        assertThat(k.release()).matches("\\d+\\.\\d+\\.\\d+-\\d+-cloud-amd64");
        assertThat(k.modulesDir(Path.of("/lib/modules"))).isDirectory();
        if (Files.isReadable(real)) assertThat(BzImage.release(real)).isEqualTo("6.1.0-57-cloud-amd64");
        // A copy under another name finds the same modules.
        Path copy = Files.copy(k.image(), dir.resolve("bzImage"));
        assertThat(GuestKernel.given(copy).release()).isEqualTo(k.release());
    }
}
