package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where each artifact image.lock names lives, and that a lock cannot name a file outside the image. */
class ImageLayoutTest {

    private final ImageLayout layout = new ImageLayout(Path.of("/srv/img"));

    @Test
    void theKernelLivesUnderKernelsAndEveryOtherArtifactUnderImages() {
        assertThat(layout.artifact("vmlinuz-min")).isEqualTo(Path.of("/srv/img/kernels/vmlinuz-min"));
        assertThat(layout.artifact("agent-rootfs.img")).isEqualTo(layout.rootfs());
        assertThat(layout.artifact("initramfs.cpio")).isEqualTo(layout.initramfs());
        assertThat(layout.artifact("capabilities.img")).isEqualTo(layout.capabilities());
    }

    @Test
    void aLockNameWithADirectoryIsNotAnArtifact() {
        for (String name : new String[] {"../../etc/passwd", "/etc/passwd", "..", ".", "a/b"}) {
            assertThatThrownBy(() -> layout.artifact(name)).as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a file name");
        }
    }
}
