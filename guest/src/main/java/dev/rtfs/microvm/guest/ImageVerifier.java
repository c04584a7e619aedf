package dev.rtfs.microvm.guest;

import java.time.Duration;
import java.util.Optional;

/**
 * Proves a staged image works before {@link ImageBuilder} moves it into place: typically boots it and waits for
 * the agent's hello. Called with the complete staged layout (image.lock included) and before anything replaces the
 * previous artifacts, so an image that cannot boot is never put in place or reported as built.
 */
@FunctionalInterface
public interface ImageVerifier {

    /** No verification: the build result carries no boot time. */
    ImageVerifier NONE = staged -> Optional.empty();

    /**
     * Verifies the image in {@code staged}; returns the boot-to-hello time when it booted the image, empty when
     * it did not boot it. Throws when the image must not be moved into place.
     */
    Optional<Duration> verify(ImageLayout staged) throws ImageBuildException;
}
