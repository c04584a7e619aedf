package dev.rtfs.microvm.cli;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One artifact of an image.lock, measured again: its name in the lock, where it was looked for, the recorded hash,
 * the measured one (empty when the file could not be read) and why it could not (empty when it could).
 */
record ArtifactCheck(String name, Path path, String expected, Optional<String> measured, Optional<String> problem) {

    /** What {@code image verify} says about it. */
    enum Status {
        OK("ok"), MISMATCH("MISMATCH"), MISSING("MISSING"), UNREADABLE("UNREADABLE");

        final String word;

        Status(String word) {
            this.word = word;
        }
    }

    ArtifactCheck {
        Objects.requireNonNull(name);
        Objects.requireNonNull(path);
        Objects.requireNonNull(expected);
        Objects.requireNonNull(measured);
        Objects.requireNonNull(problem);
    }

    Status status() {
        if (measured.isEmpty()) {
            return problem.filter(p -> p.equals("no such file")).isPresent() ? Status.MISSING : Status.UNREADABLE;
        }
        return measured.get().equals(expected) ? Status.OK : Status.MISMATCH;
    }

    boolean ok() {
        return status() == Status.OK;
    }
}
