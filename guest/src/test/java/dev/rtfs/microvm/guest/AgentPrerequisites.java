package dev.rtfs.microvm.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rtfs.microvm.guest.image.GuestInitramfs;
import dev.rtfs.microvm.guest.image.GuestKernel;
import dev.rtfs.microvm.guest.image.GuestModules;
import dev.rtfs.microvm.guest.image.KernelInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What the agent's boot test needs on the host (as QemuBootTest): qemu-system-x86, the Debian cloud kernel
 * and its modules, busybox-static and e2fsprogs. Missing locally: skipped with a message; under CI=true: failed.
 */
final class AgentPrerequisites {

    record Found(Path kernel, GuestModules modules) {}

    private AgentPrerequisites() {}

    static Found check() throws IOException {
        requireThat(onPath("qemu-system-x86_64"), "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)");
        requireThat(Files.isExecutable(GuestInitramfs.DEBIAN_BUSYBOX), "busybox-static is not installed");
        requireThat(onPath("mkfs.ext4"), "mkfs.ext4 (e2fsprogs) is not installed");
        Optional<GuestKernel> found;
        try {
            found = GuestKernel.newestIn(Path.of("/boot"));
        } catch (KernelInputException e) {
            found = Optional.empty();
            requireThat(false, e.getMessage());
        }
        requireThat(found.isPresent(), "no /boot/vmlinuz-*-cloud-amd64 (apt-get install linux-image-cloud-amd64)");
        GuestKernel kernel = found.get();
        Path moduleDir = kernel.modulesDir(Path.of("/lib/modules"));
        requireThat(Files.isDirectory(moduleDir), "no " + moduleDir + " for " + kernel.image() + " (linux-image-cloud-amd64)");
        return new Found(kernel.image(), GuestModules.forMicrovm(moduleDir, kernel.release()));
    }

    /** Skip locally, fail under CI=true. */
    static void requireThat(boolean ok, String message) {
        if (ok) return;
        if ("true".equals(System.getenv("CI"))) fail(message + " [CI=true: prerequisites must be present]");
        Assumptions.abort(message + " — skipped (set CI=true to make this a failure)");
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":"), new String[] {"/usr/sbin", "/sbin"}).flatMap(Stream::of)
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** A small ext4 image holding {@code tree}, no journal (it is mounted read-only). */
    static Path ext4(Path tree, Path img) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-d", tree.toString(),
                img.toString(), "8M").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("mkfs.ext4: " + out).isZero();
        return img;
    }
}
