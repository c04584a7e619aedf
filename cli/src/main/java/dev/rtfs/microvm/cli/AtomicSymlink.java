package dev.rtfs.microvm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Points a symlink at a new target with no moment in which the link is missing: a new symlink is made next to it
 * and renamed over it (rename(2) replaces the link itself, never what it points to). What {@code image promote}
 * switches the image link with; a run that already resolved the old link keeps its directory.
 */
final class AtomicSymlink {

    private AtomicSymlink() {}

    /** A path that exists and is not a symlink is never replaced. */
    static final class NotASymlink extends Exception {
        NotASymlink(Path link) {
            super(link + " exists and is not a symlink; it was left alone", null, false, false);
        }
    }

    /** Points {@code link} at {@code target}; returns what it pointed at before (empty when it did not exist). */
    static Optional<Path> pointAt(Path link, Path target) throws IOException, NotASymlink {
        Optional<Path> previous = Optional.empty();
        if (Files.isSymbolicLink(link)) {
            previous = Optional.of(Files.readSymbolicLink(link));
        } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotASymlink(link);
        }
        Path parent = link.toAbsolutePath().getParent();
        Path temp = parent.resolve("." + link.getFileName() + ".promote-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createSymbolicLink(temp, target);
        try {
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return previous;
    }
}
