package dev.rtfs.microvm.cli;

import dev.rtfs.microvm.guest.ImageBuildException;
import dev.rtfs.microvm.guest.ImageLayout;
import dev.rtfs.microvm.guest.ImageVerifier;
import dev.rtfs.microvm.supervisor.BootCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code image build}'s proof that the image boots: the supervisor's {@link BootCheck} (one QEMU microvm boot to
 * the agent's hello, then power-off) on the staged files, before they are moved into place.
 */
final class BootingImageVerifier implements ImageVerifier {

    private final BootCheck check;
    private final Consumer<String> progress;

    BootingImageVerifier(BootCheck check, Consumer<String> progress) {
        this.check = check;
        this.progress = progress;
    }

    @Override
    public Optional<Duration> verify(ImageLayout staged) throws ImageBuildException {
        progress.accept("booting the new image once, to the agent's hello (--no-verify skips this)");
        try {
            return Optional.of(check.boot(new BootCheck.Guest(staged.kernel(), staged.initramfs(), staged.rootfs(),
                    Files.isRegularFile(staged.capabilities()) ? Optional.of(staged.capabilities()) : Optional.empty())));
        } catch (BootCheck.BootCheckFailed e) {
            throw new ImageBuildException("the image does not boot, so it was not put in place: " + e.getMessage());
        } catch (IOException e) {
            throw new ImageBuildException("cannot boot the image to check it: " + e.getMessage(), e);
        }
    }
}
