package dev.rtfs.microvm.guest;

import java.util.Optional;

/**
 * The image build could not finish: a missing tool or package, an unreadable input, an unwritable output or a
 * failing tool. The message is one line for the user; {@link #debianPackage} names what to install, if that is
 * the fix.
 */
public final class ImageBuildException extends Exception {

    private final transient Optional<String> debianPackage;

    public ImageBuildException(String message) {
        this(message, Optional.empty(), null);
    }

    public ImageBuildException(String message, Throwable cause) {
        this(message, Optional.empty(), cause);
    }

    private ImageBuildException(String message, Optional<String> debianPackage, Throwable cause) {
        super(message, cause);
        this.debianPackage = debianPackage;
    }

    /** {@code what} is missing; installing the Debian package {@code pkg} provides it. */
    public static ImageBuildException missing(String what, String pkg) {
        return new ImageBuildException(what + " (apt-get install " + pkg + ")", Optional.of(pkg), null);
    }

    public Optional<String> debianPackage() {
        return debianPackage;
    }
}
