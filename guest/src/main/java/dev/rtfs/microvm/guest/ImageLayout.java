package dev.rtfs.microvm.guest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where {@code image build} puts its artifacts under the output directory. Matches the example config
 * (docs/examples/agent.config.microvm.rtfs: {@code kernels/vmlinuz-min}, {@code images/agent-rootfs.img}) and the
 * deploy-time attestation, which reads {@code image.lock} from the rootfs image's directory.
 */
public record ImageLayout(Path root) {

    public static final String KERNEL = "kernels/vmlinuz-min";
    public static final String IMAGES = "images";
    public static final String INITRAMFS = "initramfs.cpio";
    public static final String ROOTFS = "agent-rootfs.img";
    public static final String CAPABILITIES = "capabilities.img";

    public ImageLayout {
        Objects.requireNonNull(root);
    }

    public Path kernel() {
        return root.resolve(KERNEL);
    }

    public Path images() {
        return root.resolve(IMAGES);
    }

    public Path initramfs() {
        return images().resolve(INITRAMFS);
    }

    public Path rootfs() {
        return images().resolve(ROOTFS);
    }

    public Path capabilities() {
        return images().resolve(CAPABILITIES);
    }

    /**
     * Where the artifact image.lock records as {@code name} lives: the kernel ({@code vmlinuz-min}) under
     * {@code kernels/}, every other one under {@code images/}. {@code name} must be a plain file name.
     */
    public Path artifact(String name) {
        Path file = Path.of(name);
        if (file.getNameCount() != 1 || file.isAbsolute() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a file name: " + name);
        }
        return name.equals(kernel().getFileName().toString()) ? kernel() : images().resolve(name);
    }

    public Path lock() {
        return images().resolve(dev.rtfs.microvm.guest.image.ImageLock.FILE_NAME);
    }
}
