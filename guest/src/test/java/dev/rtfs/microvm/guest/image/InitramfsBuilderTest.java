package dev.rtfs.microvm.guest.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;

class InitramfsBuilderTest {

    private static byte[] bytes(InitramfsBuilder b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeTo(out);
        return out.toByteArray();
    }

    private static List<CpioArchiveEntry> entries(byte[] archive) throws IOException {
        List<CpioArchiveEntry> out = new ArrayList<>();
        try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(archive))) {
            for (CpioArchiveEntry e; (e = in.getNextCPIOEntry()) != null; ) out.add(e);
        }
        return out;
    }

    @Test
    void sameInputsGiveTheSameBytesWhateverTheInsertionOrder() throws IOException {
        byte[] a = bytes(new InitramfsBuilder().executable("init", "#!/bin/sh\n").file("bin/busybox", 0755, new byte[] {1, 2})
                .symlink("bin/sh", "busybox").charDevice("dev/console", 0600, 5, 1));
        byte[] b = bytes(new InitramfsBuilder().charDevice("dev/console", 0600, 5, 1).symlink("bin/sh", "busybox")
                .file("bin/busybox", 0755, new byte[] {1, 2}).executable("init", "#!/bin/sh\n"));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void entriesAreSortedNewcWithFixedMetadataAndImplicitParents() throws IOException {
        List<CpioArchiveEntry> entries = entries(bytes(new InitramfsBuilder()
                .file("lib/modules/virtio.ko", 0644, "ko".getBytes(StandardCharsets.UTF_8))
                .executable("/init", "#!/bin/sh\necho hi\n")
                .charDevice("dev/console", 0600, 5, 1)));
        assertThat(entries).extracting(CpioArchiveEntry::getName)
                .containsExactly("dev", "dev/console", "init", "lib", "lib/modules", "lib/modules/virtio.ko");
        for (CpioArchiveEntry e : entries) {
            assertThat(e.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
            assertThat(e.getTime()).isZero();
            assertThat(e.getUID()).isZero();
            assertThat(e.getGID()).isZero();
        }
        CpioArchiveEntry console = entries.get(1);
        assertThat(console.isCharacterDevice()).isTrue();
        assertThat(console.getRemoteDeviceMaj()).isEqualTo(5);
        assertThat(console.getRemoteDeviceMin()).isEqualTo(1);
        assertThat(entries.get(2).getMode() & 0777).isEqualTo(0755);
        assertThat(entries.get(0).isDirectory()).isTrue();
    }

    @Test
    void pathsEscapingTheArchiveAreRefused() {
        assertThatThrownBy(() -> new InitramfsBuilder().file("../etc/passwd", 0644, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InitramfsBuilder().file("a/../../b", 0644, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InitramfsBuilder().file("/", 0644, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
